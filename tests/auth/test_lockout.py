"""Slowing down password guessing: same work and answer for unknown addresses, a growing wait
for the attacker's address, never a lockout of the owner; the login_events record."""
import re
from datetime import datetime, timedelta, timezone

import argon2
import pytest
import sqlalchemy as sa
import time_machine

from app import create_app
from app.auth.models import LoginEvent
from app.extensions import db, limiter
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, login

THROTTLED = "Too many failed log-ins from your network."


def _html(response):
    return response.get_data(as_text=True)


def _events(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(
            sa.select(LoginEvent.reason, LoginEvent.success).order_by(LoginEvent.id)).all()


def _client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _wait_in(response) -> int:
    return int(re.search(r"Wait (\d+) seconds", _html(response)).group(1))


@pytest.fixture
def hash_checks(monkeypatch):
    """How many argon2 verifications ran (a spy on the real function)."""
    calls = []
    real = argon2.PasswordHasher.verify

    def spy(self, hash_, password):
        calls.append(hash_)
        return real(self, hash_, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    return calls


def test_unknown_and_known_addresses_do_the_same_work_and_get_the_same_answer(
        app, tenant, hash_checks):
    known = login(_client_at(app, "10.1.0.1"), tenant, password="nope-nope-nope")
    assert len(hash_checks) == 1
    unknown = login(_client_at(app, "10.1.0.2"), tenant, email="ghost@x.example",
                    password="nope-nope-nope")
    assert len(hash_checks) == 2  # a password hash was verified for the unknown address too
    assert known.status_code == unknown.status_code == 422
    assert "Wrong e-mail or password." in _html(known) and "Wrong e-mail or password." in _html(unknown)


def test_the_attacker_waits_longer_and_longer_while_the_owner_logs_in_elsewhere(app, tenant):
    attacker = _client_at(app, "10.2.0.1")
    for _ in range(3):  # LOGIN_FREE_FAILURES
        assert login(attacker, tenant, password="nope-nope-nope").status_code == 422
    fourth = login(attacker, tenant, password="nope-nope-nope")
    assert fourth.status_code == 422
    held = login(attacker, tenant)  # even the right password waits, from this address
    assert held.status_code == 429 and THROTTLED in _html(held)
    assert login(_client_at(app, "10.2.0.2"), tenant).status_code == 302  # the owner is not locked out
    first_wait = _wait_in(held)
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(seconds=first_wait + 1)):
        assert login(attacker, tenant, password="nope-nope-nope").status_code == 422
        again = login(attacker, tenant, password="nope-nope-nope")
    assert again.status_code == 429 and _wait_in(again) > first_wait  # backoff
    reasons = [reason for reason, _ok in _events(app, tenant)]
    assert reasons.count("throttled") == 2 and "ok" in reasons


def test_an_unknown_address_is_throttled_exactly_like_a_real_one(app, tenant):
    answers = {}
    for email, address in ((f"owner@{tenant.slug}.example", "10.3.0.1"), ("ghost@x.example", "10.3.0.2")):
        client = _client_at(app, address)
        for _ in range(4):
            login(client, tenant, email=email, password="nope-nope-nope")
        response = login(client, tenant, email=email, password="nope-nope-nope")
        page = re.sub(r'name="csrf_token" value="[^"]*"', "", _html(response))
        answers[email] = (response.status_code, re.sub(r"\d+ seconds", "N seconds", page)
                          .replace(email, "EMAIL"))
    assert len(set(answers.values())) == 1
    assert next(iter(answers.values()))[0] == 429


def test_one_address_trying_many_accounts_is_slowed(app, tenant, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES_PER_IP", 4)
    sprayer = _client_at(app, "10.4.0.1")
    for n in range(5):
        assert login(sprayer, tenant, f"user{n}@x.example", "whatever-pw").status_code == 422
    assert login(sprayer, tenant).status_code == 429
    assert login(_client_at(app, "10.4.0.2"), tenant).status_code == 302


def test_a_success_forgets_the_failures(app, tenant):
    client = _client_at(app, "10.5.0.1")
    for _ in range(3):
        login(client, tenant, password="nope-nope")
    assert login(client, tenant).status_code == 302
    client.post(f"/t/{tenant.slug}/logout")
    for _ in range(3):
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
    """An app with Flask-Limiter on (the suite's app has it off), on the shared storage."""
    throttled = create_app({**{key: app.config[key] for key in SHARED}, "RATELIMIT_ENABLED": True,
                            "LOGIN_LIMIT_PER_IP": "6 per minute"})
    with throttled.app_context():
        limiter.reset()
    yield throttled
    with throttled.app_context():
        limiter.reset()
    limiter.enabled = False  # the limiter object is shared: off again for the other tests


def test_one_address_is_rate_limited_whatever_the_account(throttled_app, tenant):
    client = _client_at(throttled_app, "10.0.0.3")
    for n in range(6):
        assert login(client, tenant, f"user{n}@x.example", "whatever-pw").status_code == 422
    assert login(client, tenant, password=TEST_PASSWORD).status_code == 429
    assert login(_client_at(throttled_app, "10.0.0.4"), tenant).status_code == 302
