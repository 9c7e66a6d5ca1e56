"""Public sign-up: pricing, the live address check, a ready workspace, clear refusals."""
import email
import email.policy
import re
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.signup.models import Signup
from billing.clock import now
from billing.models import Subscription
from tenants.models import Tenant

PASSWORD = "good-password-4711"


def _form(**fields):
    slug = fields.pop("slug", None) or f"acme-{secrets.token_hex(3)}"
    data = dict(company_name="Acme Trading", slug=slug, admin_name="Ada Admin",
                email=f"ada-{slug}@example.com", password=PASSWORD, plan="basic", currency="CNY",
                interval="month", language="en", time_zone="Asia/Shanghai", website="",
                nonce=secrets.token_urlsafe(24))
    data.update(fields)
    return data


def _tenant(app, slug):
    with app.app_context():
        return db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()


def _mails_to(app, address):
    sink = Path(app.config["MAIL_SINK_DIR"])
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(sink.glob("*.eml")) if address.replace("@", "_at_") in p.name]


def test_pricing_shows_every_paid_plan_in_the_chosen_currency(client):
    page = client.get("/pricing?currency=USD&interval=year").get_data(as_text=True)
    assert "Basic" in page and "Professional" in page and "Enterprise" in page
    assert "$290.00" in page and "14-day free trial" in page
    assert "¥199.00" in client.get("/pricing?currency=nonsense").get_data(as_text=True)


def test_address_check_suggests_from_the_name_and_refuses_bad_ones(client, tenant):
    suggested = client.get("/signup/address?name=Acme Trading Co.").get_json()
    assert suggested["slug"].startswith("acme-trading-co") and suggested["ok"]
    chinese = client.get("/signup/address?name=连天红家具").get_json()
    assert chinese["ok"] and re.match(r"^team-[0-9a-f]{4}", chinese["slug"])
    for slug, message in [("admin", "reserved"), (tenant.slug, "already taken"),
                          ("Bad Slug!", "lower-case"), ("a--b", "double hyphens")]:
        answer = client.get("/signup/address", query_string={"slug": slug}).get_json()
        assert not answer["ok"] and message in answer["message"], slug


def test_sign_up_gives_a_ready_workspace_with_a_trial_and_a_verification_mail(app, client):
    data = _form()
    response = client.post("/signup", data=data)
    assert response.status_code == 302 and response.location.endswith(f"/t/{data['slug']}/")
    page = client.get(f"/t/{data['slug']}/")
    assert page.status_code == 200 and "Ada Admin" in page.get_data(as_text=True)
    tenant = _tenant(app, data["slug"])
    assert tenant.status == "active" and tenant.name == "Acme Trading"
    with app.app_context():
        sub = db.session.scalars(sa.select(Subscription).where(Subscription.tenant_id == tenant.id)).one()
        assert (sub.status, sub.plan.key, sub.currency) == ("trialing", "basic", "CNY")
        assert timedelta(days=13, hours=23) < sub.trial_ends_at - now() <= timedelta(days=14)
    [mail] = _mails_to(app, data["email"])
    link = re.search(r"http://\S+/signup/verify/\S+", mail.get_content()).group(0)
    assert client.get(link.replace(app.config["BASE_URL"], "")).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(Signup).where(Signup.tenant_id == tenant.id)).one().verified_at


@pytest.mark.parametrize("change,message", [
    ({"password": "short"}, "at least 10 characters"),
    ({"password": "1234567890"}, "too easy to guess"),
    ({"slug": "admin"}, "reserved"),
    ({"plan": "trial"}, "Not a valid choice"),
    ({"currency": "EUR"}, "Not a valid choice"),
    ({"email": "not-an-address"}, "Invalid email address"),
    ({"company_name": ""}, "This field is required"),
    ({"website": "http://spam.example"}, "could not be accepted"),
])
def test_refused_sign_ups_say_why_in_place_and_create_nothing(app, client, change, message):
    data = _form(**change)
    response = client.post("/signup", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _tenant(app, data["slug"]) is None


def test_a_taken_address_is_refused(app, client, tenant):
    response = client.post("/signup", data=_form(slug=tenant.slug))
    assert response.status_code == 422 and "already taken" in response.get_data(as_text=True)


def test_double_submit_and_pending_email_are_refused_without_a_second_tenant(app, client):
    data = _form()
    assert client.post("/signup", data=data).status_code == 302
    again = client.post("/signup", data={**data, "slug": data["slug"] + "-2"})
    assert again.status_code == 422 and "already sent" in again.get_data(as_text=True)
    same_mail = client.post("/signup", data=_form(email=data["email"]))
    assert same_mail.status_code == 422 and "waiting for verification" in same_mail.get_data(as_text=True)
    assert _tenant(app, data["slug"] + "-2") is None
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).where(Signup.email == data["email"]))
    assert count == 1


def test_sign_ups_are_rate_limited_per_address(app, database_url):
    limited = create_app({**{k: app.config[k] for k in (
        "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB",
        "MAIL_SINK_DIR")}, "TESTING": True, "WTF_CSRF_ENABLED": False, "TENANT_POOL_TARGET": 0,
        "RATELIMIT_ENABLED": True, "SIGNUP_RATE_LIMIT": "2 per minute"})
    client = limited.test_client()
    statuses = [client.post("/signup", data=_form(password="x")).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert "Too many attempts" in client.post("/signup", data=_form()).get_data(as_text=True)
