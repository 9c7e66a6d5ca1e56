"""A user's own profile, password change and two-step verification."""
import re

import pyotp
import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, login


def _html(response):
    return response.get_data(as_text=True)


def _owner(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        user = db.session.scalars(sa.select(User)).one()
        db.session.expunge(user)
        return user


def test_profile_details_are_saved_and_checked(app, tenant, owner_client):
    url = f"/t/{tenant.slug}/profile"
    bad = owner_client.post(url, data={"name": "王小明", "phone": "call me", "locale": "",
                                       "time_zone": ""})
    assert bad.status_code == 422 and "Enter a phone number" in _html(bad)
    saved = owner_client.post(url, data={
        "name": "王小明", "phone": "+86 21 5555 1234", "locale": "zh_Hans",
        "time_zone": "Asia/Shanghai", "signature": "王小明\n销售部"}, follow_redirects=True)
    assert saved.status_code == 200
    owner = _owner(app, tenant)
    assert (owner.name, owner.phone, owner.locale, owner.time_zone, owner.signature) == (
        "王小明", "+86 21 5555 1234", "zh_Hans", "Asia/Shanghai", "王小明\n销售部")


def test_changing_the_password_ends_other_sessions_only(app, tenant, owner_client):
    other = app.test_client()
    login(other, tenant)
    url = f"/t/{tenant.slug}/profile/password"
    wrong = owner_client.post(url, data={"current": "not-it-at-all", "password": "new-long-secret",
                                         "confirm": "new-long-secret"})
    assert wrong.status_code == 422 and "current password is not right" in _html(wrong)
    done = owner_client.post(url, data={"current": TEST_PASSWORD, "password": "new-long-secret",
                                        "confirm": "new-long-secret"})
    assert done.status_code == 302
    assert owner_client.get(f"/t/{tenant.slug}/").status_code == 200
    assert other.get(f"/t/{tenant.slug}/").status_code == 302
    assert login(app.test_client(), tenant, password="new-long-secret").status_code == 302


def _turn_on_two_factor(client, tenant):
    page = _html(client.get(f"/t/{tenant.slug}/profile/two-factor"))
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post(f"/t/{tenant.slug}/profile/two-factor/enable", data={"code": "000000"})
    assert wrong.status_code == 422 and "That code is not right" in _html(wrong)
    done = client.post(f"/t/{tenant.slug}/profile/two-factor/enable",
                       data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", _html(done))
    assert len(codes) == 10
    return secret, codes


def test_two_factor_is_asked_at_login_once_enabled(app, tenant, owner_client):
    secret, codes = _turn_on_two_factor(owner_client, tenant)
    client = app.test_client()
    first = login(client, tenant)
    assert first.status_code == 302 and first.location.endswith("/login/code")
    assert client.get(f"/t/{tenant.slug}/").status_code == 302  # not in yet
    wrong = client.post(f"/t/{tenant.slug}/login/code", data={"code": "123456"})
    assert wrong.status_code == 422 and "Wrong code." in _html(wrong)
    right = client.post(f"/t/{tenant.slug}/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert client.get(f"/t/{tenant.slug}/").status_code == 200


def test_a_recovery_code_works_once(app, tenant, owner_client):
    _secret, codes = _turn_on_two_factor(owner_client, tenant)
    client = app.test_client()
    login(client, tenant)
    assert client.post(f"/t/{tenant.slug}/login/code", data={"code": codes[0]}).status_code == 302
    again = app.test_client()
    login(again, tenant)
    assert again.post(f"/t/{tenant.slug}/login/code", data={"code": codes[0]}).status_code == 422
    assert len(_owner(app, tenant).recovery_code_hashes) == 9


def test_the_code_step_cannot_be_skipped_or_reached_without_a_password(app, tenant, owner_client):
    _turn_on_two_factor(owner_client, tenant)
    stranger = app.test_client()
    response = stranger.get(f"/t/{tenant.slug}/login/code")
    assert response.status_code == 302 and response.location.endswith("/login")


def test_two_factor_can_be_turned_off_with_the_password(app, tenant, owner_client):
    _turn_on_two_factor(owner_client, tenant)
    url = f"/t/{tenant.slug}/profile/two-factor/disable"
    assert owner_client.post(url, data={"password": "wrong-password"}).status_code == 422
    assert owner_client.post(url, data={"password": TEST_PASSWORD}).status_code == 302
    assert login(app.test_client(), tenant).status_code == 302
    assert _owner(app, tenant).totp_secret is None
