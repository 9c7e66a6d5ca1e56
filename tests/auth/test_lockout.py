"""Temporary lockout after repeated failures, the login_events record, and throttling."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import time_machine

from app import create_app
from app.auth.models import LoginEvent
from app.extensions import db, limiter
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, login


def _html(response):
    return response.get_data(as_text=True)


def _events(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(
            sa.select(LoginEvent.reason, LoginEvent.success).order_by(LoginEvent.id)).all()


def test_five_failures_lock_the_account_for_a_while(app, client, tenant):
    for _ in range(4):
        assert "Wrong e-mail or password." in _html(login(client, tenant, password="nope-nope"))
    fifth = login(client, tenant, password="nope-nope")
    assert fifth.status_code == 422 and "this account is locked until" in _html(fifth)
    locked = login(client, tenant)  # even the right password waits
    assert locked.status_code == 422 and "this account is locked until" in _html(locked)
    later = datetime.now(timezone.utc) + timedelta(minutes=16)
    with time_machine.travel(later):
        assert login(client, tenant).status_code == 302
    reasons = [reason for reason, _ok in _events(app, tenant)]
    assert reasons == ["wrong_password"] * 5 + ["locked", "ok"]


def test_a_success_resets_the_count(app, client, tenant):
    for _ in range(4):
        login(client, tenant, password="nope-nope")
    assert login(client, tenant).status_code == 302
    client.post(f"/t/{tenant.slug}/logout")
    for _ in range(4):
        assert "Wrong e-mail or password." in _html(login(client, tenant, password="nope-nope"))


def test_unknown_addresses_are_recorded_without_saying_so(app, client, tenant):
    response = login(client, tenant, email="ghost@x.example")
    assert "Wrong e-mail or password." in _html(response)
    assert _events(app, tenant) == [("unknown_user", False)]


def test_admin_sees_the_log_in_attempts(app, tenant, owner_client):
    login(app.test_client(), tenant, password="nope-nope")
    page = _html(owner_client.get(f"/t/{tenant.slug}/admin/logins"))
    assert "Wrong password" in page and "Logged in" in page


SHARED = ("SQLALCHEMY_DATABASE_URI", "TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED",
          "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB", "MAIL_SINK_DIR")


@pytest.fixture
def throttled_app(app):
    """An app with Flask-Limiter on (the suite's app has it off); memory storage."""
    throttled = create_app({**{key: app.config[key] for key in SHARED}, "RATELIMIT_ENABLED": True,
                            "RATELIMIT_STORAGE_URI": "memory://",
                            "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
                            "LOGIN_LIMIT_PER_IP": "6 per minute"})
    limiter.reset()
    yield throttled
    limiter.reset()
    limiter.enabled = False  # the limiter object is shared: off again for the other tests


def _client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_account_is_throttled_whatever_the_address(throttled_app, tenant):
    for _ in range(3):
        login(_client_at(throttled_app, "10.0.0.1"), tenant, "a@x.example", "whatever-pw")
    too_many = login(_client_at(throttled_app, "10.0.0.2"), tenant, "a@x.example", "whatever-pw")
    assert too_many.status_code == 429 and "Too many attempts" in _html(too_many)
    assert login(_client_at(throttled_app, "10.0.0.2"), tenant).status_code == 302


def test_one_address_is_throttled_whatever_the_account(throttled_app, tenant):
    client = _client_at(throttled_app, "10.0.0.3")
    for n in range(6):
        assert login(client, tenant, f"user{n}@x.example", "whatever-pw").status_code == 422
    assert login(client, tenant, password=TEST_PASSWORD).status_code == 429
    assert login(_client_at(throttled_app, "10.0.0.4"), tenant).status_code == 302
