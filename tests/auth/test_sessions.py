"""Log-out ends the session on the server; remember-me is short and SameSite; the profile lists
and ends the user's sessions."""
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import sqlalchemy as sa
import time_machine

from app.auth.models import User, UserSession
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, add_user, login


def _log_in(app, tenant, remember=False, agent="Browser A"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    data = {"email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post(f"/t/{tenant.slug}/login", data=data)
    assert response.status_code == 302
    return client, response


def _copy(app, client, *names):
    copied = app.test_client()
    for name in names:
        copied.set_cookie(name, client.get_cookie(name).value)
    return copied


def _opens_workspace(client, tenant) -> bool:
    return client.get(f"/t/{tenant.slug}/").status_code == 200


def test_a_copied_session_cookie_dies_at_log_out(app, tenant):
    client, _ = _log_in(app, tenant)
    thief = _copy(app, client, "session")
    assert _opens_workspace(thief, tenant)
    client.post(f"/t/{tenant.slug}/logout")
    assert not _opens_workspace(thief, tenant)


def test_a_copied_remember_me_cookie_dies_at_log_out(app, tenant):
    client, _ = _log_in(app, tenant, remember=True)
    thief = _copy(app, client, "remember_token")  # no session cookie: remember-me logs it in
    assert _opens_workspace(thief, tenant)
    stolen = client.get_cookie("remember_token").value
    client.post(f"/t/{tenant.slug}/logout")
    fresh_thief = app.test_client()
    fresh_thief.set_cookie("remember_token", stolen)
    assert not _opens_workspace(fresh_thief, tenant)


def test_remember_me_lasts_two_weeks_and_is_same_site(app, tenant):
    _client, response = _log_in(app, tenant, remember=True)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert expires < datetime.now(timezone.utc) + timedelta(days=15)


def test_a_session_unused_for_two_weeks_ends_on_the_server(app, tenant):
    client, _ = _log_in(app, tenant, remember=True)
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=15)):
        assert not _opens_workspace(_copy(app, client, "session"), tenant)


def test_the_profile_lists_sessions_and_ends_another_one(app, tenant):
    mine, _ = _log_in(app, tenant, agent="Firefox on my laptop")
    other, _ = _log_in(app, tenant, agent="Chrome in an internet cafe")
    page = mine.get(f"/t/{tenant.slug}/profile/sessions").get_data(as_text=True)
    assert "Firefox on my laptop" in page and "Chrome in an internet cafe" in page
    assert "This browser" in page
    with app.app_context(), tenant_scope(tenant):
        cafe = db.session.scalars(sa.select(UserSession.id).where(
            UserSession.user_agent == "Chrome in an internet cafe")).one()
    assert mine.post(f"/t/{tenant.slug}/profile/sessions/{cafe}/end").status_code == 302
    assert not _opens_workspace(other, tenant) and _opens_workspace(mine, tenant)
    assert mine.post(f"/t/{tenant.slug}/profile/sessions/{cafe}/end").status_code == 404


def test_log_out_everywhere_else_keeps_this_browser(app, tenant):
    mine, _ = _log_in(app, tenant)
    others = [_log_in(app, tenant)[0] for _ in range(2)]
    response = mine.post(f"/t/{tenant.slug}/profile/sessions/end-others", follow_redirects=True)
    assert "Other sessions ended: 2." in response.get_data(as_text=True)
    assert _opens_workspace(mine, tenant)
    assert not any(_opens_workspace(client, tenant) for client in others)


def test_another_users_session_cannot_be_ended(app, tenant):
    mine, _ = _log_in(app, tenant)
    add_user(app, tenant, "sales_rep", email=f"rep@{tenant.slug}.example")
    rep = app.test_client()
    assert login(rep, tenant, email=f"rep@{tenant.slug}.example").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        owners = db.session.scalars(sa.select(UserSession.id).join(User).where(
            User.email == f"owner@{tenant.slug}.example")).all()
    for session_id in owners:
        assert rep.post(f"/t/{tenant.slug}/profile/sessions/{session_id}/end").status_code == 404
    assert _opens_workspace(mine, tenant)
