"""Limits hold under concurrency: requests that arrive together cannot share the last record or
seat (real threads, each with its own test client and database connection, behind a Barrier);
open invitations hold seats when an invitation is accepted and when extra users are lowered."""
import threading
import time

import sqlalchemy as sa

from app import mail
from app.access.models import Role
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.users.models import Invitation
from billing import usage
from billing.models import Plan
from billing.subscriptions import for_tenant
from tenants.context import tenant_scope
from tests.billing.conftest import on_small_plan, subscribe
from tests.conftest import add_user, login
from tests.mailbox import latest_mail, link_path

THREADS = 5


def _clients(app, tenant, n):
    clients = [app.test_client() for _ in range(n)]
    for client in clients:
        assert login(client, tenant).status_code == 302
    return clients


def _at_once(clients, request):
    """request(client, i) in one thread per client, released together; the responses' statuses."""
    barrier = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def run(i):
        barrier.wait()
        statuses[i] = request(clients[i], i).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _lingering(fn):
    def slow(*args, **kwargs):
        value = fn(*args, **kwargs)
        time.sleep(0.2)
        return value
    return slow


# Each race below makes one step between the limit check and the commit linger, so every
# request has counted before any has committed: without serialization each one sees the
# same last free unit. (A mail server is often this slow.)

def _slow_mail(monkeypatch):
    monkeypatch.setattr(mail, "send", _lingering(mail.send))


def _slow_counter(monkeypatch, metric, name):
    monkeypatch.setitem(usage._counters[metric], name, _lingering(usage._counters[metric][name]))


def _count(app, tenant, model, *where):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _role_id(app, tenant, key="sales_rep"):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(Role.id).where(Role.key == key)).one()


def _invite(client, tenant, email, role_id):
    return client.post(f"/t/{tenant.slug}/admin/users/invite", data={"email": email, "role": role_id, "unit": 0})


def test_five_new_customers_at_once_with_one_record_left_make_one(app, tenant, monkeypatch):
    on_small_plan(app, tenant, records=4)
    clients = _clients(app, tenant, THREADS)
    for i in range(3):
        assert clients[0].post(f"/t/{tenant.slug}/customers/new", data={
            "name": f"Existing {i}", "kind": "company", "type": "customer", "currency": "CNY",
            "confirm_duplicate": "1"}).status_code == 302
    _slow_counter(monkeypatch, "records", "customers.live")
    statuses = _at_once(clients, lambda client, i: client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": f"Racer {i}", "kind": "company", "type": "customer", "currency": "CNY",
            "confirm_duplicate": "1"}))
    assert sorted(statuses) == [302, 422, 422, 422, 422]
    assert _count(app, tenant, Customer, Customer.deleted_at.is_(None)) == 4


def test_invitations_at_once_take_only_the_seat_left(app, tenant, monkeypatch):
    on_small_plan(app, tenant, seats=3)
    rep = _role_id(app, tenant)
    clients = _clients(app, tenant, THREADS)
    assert _invite(clients[0], tenant, "first@example.com", rep).status_code == 302  # 2 of 3 seats
    _slow_mail(monkeypatch)
    statuses = _at_once(clients, lambda client, i: _invite(client, tenant, f"racer{i}@example.com", rep))
    assert sorted(statuses) == [302, 422, 422, 422, 422]
    assert _count(app, tenant, Invitation, Invitation.status == "pending") == 2


def test_an_invitation_cannot_be_accepted_beyond_a_lowered_limit(app, tenant, owner_client):
    on_small_plan(app, tenant, seats=3)
    rep = _role_id(app, tenant)
    for email in ("one@example.com", "two@example.com"):
        assert _invite(owner_client, tenant, email, rep).status_code == 302  # 3 of 3 seats
    with app.app_context():  # provider staff lower the plan to two users
        plan = db.session.get(Plan, for_tenant(tenant.id).plan_id)
        plan.seat_limit = 2
        db.session.commit()
    path = link_path(latest_mail(app, "two@example.com"), "invitation")
    invitee = app.test_client()
    response = invitee.post(path, data={"name": "Two", "password": "a-long-fresh-secret",
                                        "confirm": "a-long-fresh-secret"})
    assert response.status_code == 422
    assert "Your team has no free user seat for you right now." in response.get_data(as_text=True)
    assert _count(app, tenant, User, User.active) == 1
    # once the admin revokes the other invitation, the seat is free and the link works
    with app.app_context(), tenant_scope(tenant):
        db.session.scalars(sa.select(Invitation).where(Invitation.email == "one@example.com")).one().status = "revoked"
        db.session.commit()
    assert invitee.post(path, data={"name": "Two", "password": "a-long-fresh-secret",
                                    "confirm": "a-long-fresh-secret"}).status_code == 302
    assert _count(app, tenant, User, User.active) == 2


def test_lowering_extra_users_counts_open_invitations(app, tenant, owner_client):
    subscribe(app, tenant, "active", extra_seats=2)  # Basic: 5 + 2 seats
    for _ in range(4):
        add_user(app, tenant, "sales_rep")  # 5 active users with the owner
    rep = _role_id(app, tenant)
    for email in ("one@example.com", "two@example.com"):
        assert _invite(owner_client, tenant, email, rep).status_code == 302  # 7 of 7 seats
    billing = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "(open invitations included)" in billing and "7 / 7" in billing
    response = owner_client.post(f"/t/{tenant.slug}/billing/seats", data={"extra_seats": "1"})
    assert response.status_code == 422
    assert "7 seats are taken by active users and open invitations" in response.get_data(as_text=True)
    with app.app_context():
        assert for_tenant(tenant.id).extra_seats == 2


def test_lowering_extra_users_and_inviting_at_once_cannot_both_take_the_last_seat(app, tenant, monkeypatch):
    subscribe(app, tenant, "active", extra_seats=1)  # Basic: 5 + 1 seats
    for _ in range(4):
        add_user(app, tenant, "sales_rep")  # 5 of 6 seats
    rep = _role_id(app, tenant)
    clients = _clients(app, tenant, 2)
    _slow_mail(monkeypatch)
    _slow_counter(monkeypatch, "seats", "auth.active_users")
    statuses = _at_once(clients, lambda client, i: (
        _invite(client, tenant, "late@example.com", rep) if i == 0
        else client.post(f"/t/{tenant.slug}/billing/seats", data={"extra_seats": "0"})))
    assert sorted(statuses) == [302, 422]  # one of them wins, the other sees it
    with app.app_context():
        limit = 5 + for_tenant(tenant.id).extra_seats
    assert _count(app, tenant, User, User.active) + _count(app, tenant, Invitation, Invitation.status == "pending") <= limit
