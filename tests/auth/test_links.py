"""Links in mails are built from BASE_URL, whatever Host header the request carried."""
import pytest
import sqlalchemy as sa

from app.access.models import Role
from app.extensions import db
from tenants.context import tenant_scope
from tests.mailbox import latest_mail
from tests.signup.test_signup import _form

EVIL = {"Host": "evil.example"}
BASE = "https://crm.example.com"


@pytest.fixture
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE)
    return BASE


def _only_base_links(text: str) -> None:
    assert "evil.example" not in text and f"{BASE}/" in text


def test_a_password_reset_link_ignores_the_host_header(app, client, tenant, base_url):
    email = f"owner@{tenant.slug}.example"
    client.post(f"/t/{tenant.slug}/password/forgot", data={"email": email}, headers=EVIL)
    text = latest_mail(app, email)
    _only_base_links(text)
    assert f"{BASE}/t/{tenant.slug}/password/reset/" in text


def test_an_invitation_link_ignores_the_host_header(app, owner_client, tenant, base_url):
    with app.app_context(), tenant_scope(tenant):
        role_id = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
    invited = f"new-{tenant.slug}@example.com"
    owner_client.set_cookie("session", owner_client.get_cookie("session").value,
                            domain="evil.example")  # the admin's browser, on the crafted host
    response = owner_client.post(f"/t/{tenant.slug}/admin/users/invite",
                                 data={"email": invited, "role": role_id, "unit": 0}, headers=EVIL)
    assert response.status_code == 302
    text = latest_mail(app, invited)
    _only_base_links(text)
    assert f"{BASE}/t/{tenant.slug}/invitation/" in text


def test_a_sign_up_verification_link_ignores_the_host_header(app, client, base_url):
    data = _form()
    assert client.post("/signup", data=data, headers=EVIL).status_code == 302
    text = latest_mail(app, data["email"])
    _only_base_links(text)
    assert f"{BASE}/signup/verify/" in text


def test_untrusted_hosts_are_refused_when_trusted_hosts_are_set(app, client, tenant, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["crm.example.com"])
    assert client.get(f"/t/{tenant.slug}/login", headers=EVIL).status_code == 400
    assert client.get(f"/t/{tenant.slug}/login",
                      headers={"Host": "crm.example.com"}).status_code == 200


def test_behind_a_proxy_the_forwarded_client_address_is_the_one_throttled(app, tenant):
    from app import create_app
    from tests.auth.test_lockout import SHARED

    proxied = create_app({**{key: app.config[key] for key in SHARED}, "RATELIMIT_ENABLED": False,
                          "PROXY_FIX_X_FOR": 1})
    client = proxied.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.8.0.1"  # the proxy
    email = f"owner@{tenant.slug}.example"
    for _ in range(4):
        client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": "nope-nope-nope"},
                    headers={"X-Forwarded-For": "203.0.113.9"})
    held = client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": "nope-nope-nope"},
                       headers={"X-Forwarded-For": "203.0.113.9"})
    assert held.status_code == 429
    other = client.post(f"/t/{tenant.slug}/login",
                        data={"email": email, "password": "correct-horse-battery"},
                        headers={"X-Forwarded-For": "198.51.100.7"})
    assert other.status_code == 302  # another client behind the same proxy is not slowed
