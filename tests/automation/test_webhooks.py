"""Webhook addresses: https only, and never an address inside our network (SSRF)."""
import pytest

from app.automation import webhooks
from app.automation.webhooks import WebhookRefused, check_url


@pytest.fixture
def dns(monkeypatch):
    """Host → addresses, replacing name resolution only."""
    table = {"hooks.example.com": ["93.184.216.34"], "sneaky.example.com": ["127.0.0.1"],
             "mixed.example.com": ["93.184.216.34", "10.0.0.5"],
             "v6.example.com": ["::ffff:127.0.0.1"]}

    def resolve(host, port):
        if host in table:
            return table[host]
        return [host]  # an address literal resolves to itself

    monkeypatch.setattr(webhooks, "resolve", resolve)
    return table


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook",
    "https://10.1.2.3/hook",
    "https://192.168.1.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/",
    "https://sneaky.example.com/hook",   # a public name that resolves to loopback
    "https://mixed.example.com/hook",    # one private address among public ones is enough
    "https://v6.example.com/",           # loopback hidden in an IPv4-mapped IPv6 address
    "https://0.0.0.0/",
])
def test_private_loopback_and_link_local_addresses_are_refused(dns, url):
    with pytest.raises(WebhookRefused, match="private, loopback or link-local"):
        check_url(url)


@pytest.mark.parametrize("url", ["http://hooks.example.com/x", "ftp://hooks.example.com/",
                                 "hooks.example.com", "https://", "https://user:pw@hooks.example.com/"])
def test_only_plain_https_addresses(dns, url):
    with pytest.raises(WebhookRefused):
        check_url(url)


def test_a_public_https_address_is_accepted(dns):
    assert check_url("https://hooks.example.com:8443/crm?x=1") == ("hooks.example.com", 8443,
                                                                    "/crm?x=1")


def test_a_host_that_cannot_be_found_is_refused(monkeypatch):
    def unknown(host, port):
        raise OSError("no such host")

    monkeypatch.setattr(webhooks, "resolve", unknown)
    with pytest.raises(WebhookRefused, match="could not be found"):
        check_url("https://nowhere.example.com/")
