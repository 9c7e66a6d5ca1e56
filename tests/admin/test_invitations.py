"""Inviting users: the link, its expiry, resend, revoke, duplicates, bad addresses, seats."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine

from app.access.models import Role
from app.auth.models import User
from app.extensions import db
from app.users.models import Invitation
from tenants.context import tenant_scope
from tests.billing.conftest import on_small_plan
from tests.conftest import client_as, login
from tests.mailbox import latest_mail, link_path, mail_count

NEW_PASSWORD = "a-long-fresh-secret"


def _html(response):
    return response.get_data(as_text=True)


def _role_id(app, tenant, key):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(Role.id).where(Role.key == key)).one()


def _invite(client, tenant, email, role_id, unit=0):
    return client.post(f"/t/{tenant.slug}/admin/users/invite",
                       data={"email": email, "role": role_id, "unit": unit})


def _invitations(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(sa.select(Invitation.email, Invitation.status)).all()


def test_invitee_sets_name_and_password_and_is_in(app, tenant, owner_client):
    rep = _role_id(app, tenant, "sales_rep")
    response = _invite(owner_client, tenant, "New.Rep@Example.com", rep)
    assert response.status_code == 302
    listing = _html(owner_client.get(f"/t/{tenant.slug}/admin/users"))
    assert "new.rep@example.com" in listing and "Open invitations" in listing

    path = link_path(latest_mail(app, "new.rep@example.com"), "invitation")
    invitee = app.test_client()
    assert "Join your team" in _html(invitee.get(path))
    weak = invitee.post(path, data={"name": "小林", "password": "short", "confirm": "short"})
    assert weak.status_code == 422 and "Use at least 10 characters." in _html(weak)
    done = invitee.post(path, data={"name": "小林", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert "Welcome, 小林" in _html(invitee.get(f"/t/{tenant.slug}/"))
    assert login(app.test_client(), tenant, "new.rep@example.com", NEW_PASSWORD).status_code == 302
    # the link is used up
    again = app.test_client().get(path)
    assert again.status_code == 302 and "/login" in again.location
    assert _invitations(app, tenant) == [("new.rep@example.com", "accepted")]


def test_invitation_link_expires_after_seven_days(app, tenant, owner_client):
    _invite(owner_client, tenant, "late@example.com", _role_id(app, tenant, "read_only"))
    path = link_path(latest_mail(app, "late@example.com"), "invitation")
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=8)):
        response = app.test_client().get(path, follow_redirects=True)
    assert "This invitation has expired" in _html(response)


def test_resend_replaces_the_link_and_revoke_kills_it(app, tenant, owner_client):
    _invite(owner_client, tenant, "twice@example.com", _role_id(app, tenant, "read_only"))
    first = link_path(latest_mail(app, "twice@example.com"), "invitation")
    with app.app_context(), tenant_scope(tenant):
        invitation_id = db.session.scalars(sa.select(Invitation.id)).one()
    owner_client.post(f"/t/{tenant.slug}/admin/invitations/{invitation_id}/resend")
    assert mail_count(app, "twice@example.com") == 2
    second = link_path(latest_mail(app, "twice@example.com"), "invitation")
    assert app.test_client().get(first).status_code == 302  # the old link is dead
    assert app.test_client().get(second).status_code == 200
    owner_client.post(f"/t/{tenant.slug}/admin/invitations/{invitation_id}/revoke")
    assert app.test_client().get(second).status_code == 302
    assert _invitations(app, tenant) == [("twice@example.com", "revoked")]
    # a revoked address can be invited again
    assert _invite(owner_client, tenant, "twice@example.com",
                   _role_id(app, tenant, "read_only")).status_code == 302


def test_duplicate_and_invalid_addresses_are_refused_in_place(app, tenant, owner_client):
    role = _role_id(app, tenant, "sales_rep")
    owner_email = f"OWNER@{tenant.slug}.example"
    taken = _invite(owner_client, tenant, owner_email, role)
    assert taken.status_code == 422 and "already has an account in this workspace" in _html(taken)
    assert _invite(owner_client, tenant, "once@example.com", role).status_code == 302
    again = _invite(owner_client, tenant, "Once@Example.com", role)
    assert again.status_code == 422 and "has already been invited" in _html(again)
    bad = _invite(owner_client, tenant, "not-an-address", role)
    assert bad.status_code == 422 and "Invalid email address." in _html(bad)
    assert _invitations(app, tenant) == [("once@example.com", "pending")]
    assert mail_count(app, "not-an-address") == 0


def test_no_invitation_when_no_seat_is_left(app, tenant, owner_client):
    on_small_plan(app, tenant, seats=1)  # the owner holds the only seat
    response = _invite(owner_client, tenant, "extra@example.com", _role_id(app, tenant, "sales_rep"))
    assert response.status_code == 422 and "All 1 users of your plan are taken" in _html(response)
    assert f'href="/t/{tenant.slug}/billing/"' in _html(response)
    assert _invitations(app, tenant) == [] and mail_count(app, "extra@example.com") == 0


def test_the_plan_seat_limit_counts_users_and_open_invitations(app, tenant, owner_client):
    on_small_plan(app, tenant, seats=2)
    role = _role_id(app, tenant, "sales_rep")
    assert "1 seats left" in _html(owner_client.get(f"/t/{tenant.slug}/admin/users"))
    assert _invite(owner_client, tenant, "seat@example.com", role).status_code == 302
    assert _invite(owner_client, tenant, "over@example.com", role).status_code == 422


def test_an_admin_cannot_hand_out_the_owner_role(app, tenant):
    admin = client_as(app, tenant, "admin")
    response = _invite(admin, tenant, "boss@example.com", _role_id(app, tenant, "owner"))
    assert response.status_code == 422 and "Not a valid choice" in _html(response)
    assert _invitations(app, tenant) == []


def test_an_invitation_link_of_one_tenant_is_refused_in_another(app, new_tenant):
    first, second = new_tenant(), new_tenant()
    owner = app.test_client()
    login(owner, first)
    _invite(owner, first, "cross@example.com", _role_id(app, first, "read_only"))
    path = link_path(latest_mail(app, "cross@example.com"), "invitation").replace(
        first.slug, second.slug)
    assert app.test_client().get(path).status_code == 302
    with app.app_context(), tenant_scope(second):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
