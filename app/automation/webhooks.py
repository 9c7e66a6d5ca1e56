"""Webhook calls: POST JSON to an https URL that does not point inside our network.

The address is resolved and every address it resolves to must be public: a
rule must not make the server call 127.0.0.1, 10.x, 169.254.169.254 (cloud
metadata) or anything else private, loopback, link-local or reserved (SSRF).
It is checked when the rule is saved and again just before each call, since
DNS may have changed in between. Redirects are not followed (a public host
could redirect to a private one).
"""
import http.client
import ipaddress
import json
import socket
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

TIMEOUT_SECONDS = 5


class WebhookRefused(ValueError):
    """str() says why, for the rule form or the rule log."""


def resolve(host: str, port: int) -> list[str]:
    """Every address host resolves to (tests replace this, never the database)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, int, str]:
    """(host, port, path) of a URL a rule may call; WebhookRefused otherwise."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port or 443
    except ValueError:
        raise WebhookRefused(_l("This is not a valid web address."))
    if parts.scheme != "https" or not parts.hostname:
        raise WebhookRefused(_l("A webhook address must start with https://."))
    if parts.username or parts.password:
        raise WebhookRefused(_l("A webhook address cannot hold a user name or password."))
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError):
        raise WebhookRefused(_l("The host %(host)s could not be found.", host=parts.hostname))
    if not addresses or not all(_public(a) for a in addresses):
        raise WebhookRefused(_l("Webhooks cannot call private, loopback or link-local addresses."))
    path = parts.path or "/"
    return parts.hostname, port, path + (f"?{parts.query}" if parts.query else "")


def post_json(url: str, payload: dict) -> int:
    """POST payload; the HTTP status, or an exception (refused, unreachable, status >= 400)."""
    host, port, path = check_url(url)
    connection = http.client.HTTPSConnection(host, port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=json.dumps(payload, default=str).encode(),
                           headers={"Content-Type": "application/json",
                                    "User-Agent": "Kehu-CRM-automation"})
        status = connection.getresponse().status
    finally:
        connection.close()
    if status >= 400:
        raise WebhookRefused(f"HTTP {status}")
    return status
