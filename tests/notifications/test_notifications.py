"""The notifications centre: language at read time, hidden records, preferences, unread
count, mark read, and who is (not) told."""
import secrets

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.customers.services import create_customer
from app.extensions import db
from app.i18n import N_
from app.notifications import notify
from app.notifications.models import Notification
from tenants.context import tenant_scope
from tests.conftest import add_user, login, owner_id
from tests.mailbox import latest_mail, mail_count

WAITING = N_("Waiting for your approval: %(title)s")  # translated in both Chinese catalogs


def _person(app, tenant, role="sales_rep", **fields):
    """(id, logged-in client, e-mail) of a new user."""
    email = f"{role}-{secrets.token_hex(3)}@{tenant.slug}.example"
    user_id = add_user(app, tenant, role, email, **fields)
    client = app.test_client()
    assert login(client, tenant, email).status_code == 302
    return user_id, client, email


def _notify(app, tenant, *args, **kwargs):
    with app.test_request_context(), tenant_scope(tenant):
        kwargs.setdefault("actor_id", owner_id())
        notify(*args, **kwargs)
        db.session.commit()


def _rows(app, tenant, user_id):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id)
                                  .order_by(Notification.id)).all()


def _page(client, tenant):
    return client.get(f"/t/{tenant.slug}/notifications").get_data(as_text=True)


def test_each_reader_reads_it_in_their_own_language_in_the_app_and_by_mail(app, tenant):
    readers = {locale: _person(app, tenant, locale=locale) for locale in ("en", "zh_Hans", "zh_Hant")}
    _notify(app, tenant, [r[0] for r in readers.values()], "approval_waiting", WAITING,
            {"title": "Q-2026-0007"})
    expected = {"en": "Waiting for your approval: Q-2026-0007",
                "zh_Hans": "待您审批：Q-2026-0007", "zh_Hant": "待您簽核：Q-2026-0007"}
    for locale, (_user_id, client, email) in readers.items():
        assert expected[locale] in _page(client, tenant)
        assert expected[locale] in latest_mail(app, email)
    # Stored once, untranslated: a reader who switches language reads it anew.
    zh_client = readers["zh_Hans"][1]
    zh_client.post("/language", data={"language": "zh_Hant", "next": "/"})
    assert expected["zh_Hant"] in _page(zh_client, tenant)


def test_a_notification_about_a_record_the_reader_may_not_see_is_never_shown(app, tenant):
    rep_id, rep, _email = _person(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        theirs = create_customer({"name": "别人的客户"}, owner_id()).id
        mine = create_customer({"name": "我的客户"}, rep_id).id
        db.session.commit()
    _notify(app, tenant, [rep_id], "mentioned", "About %(name)s", {"name": "别人的客户"},
            subject=("customer", theirs))
    _notify(app, tenant, [rep_id], "mentioned", "About %(name)s", {"name": "我的客户"},
            subject=("customer", mine))
    assert [n.subject_id for n in _rows(app, tenant, rep_id)] == [mine]  # never written
    page = _page(rep, tenant)
    assert "我的客户" in page and "别人的客户" not in page
    # The customer moves to someone else: the notification disappears with it, and stops
    # counting as unread.
    with app.test_request_context(), tenant_scope(tenant):
        db.session.execute(sa.text("UPDATE customers SET owner_id = :o WHERE id = :c"),
                           {"o": owner_id(), "c": mine})
        db.session.commit()
    assert "我的客户" not in _page(rep, tenant)
    assert 'data-testid="unread-count"' not in _page(rep, tenant)
    assert rep.get(f"/t/{tenant.slug}/").status_code == 200


def test_preferences_send_each_event_in_the_app_by_mail_both_or_not_at_all(app, tenant):
    user_id, client, email = _person(app, tenant)
    page = client.get(f"/t/{tenant.slug}/notifications/preferences").get_data(as_text=True)
    assert 'name="email-approval_waiting" aria-label' in page and "checked" in page
    response = client.post(f"/t/{tenant.slug}/notifications/preferences", data={
        "email-mentioned": "on",                 # mentions: mail only
        "in_app-approval_waiting": "on",         # approvals: app only
        "in_app-unknown": "on",                  # not an event: ignored
    })
    assert response.status_code == 302
    before = mail_count(app, email)
    _notify(app, tenant, [user_id], "mentioned", "Mentioned %(n)s", {"n": "一"})
    _notify(app, tenant, [user_id], "approval_waiting", WAITING, {"title": "Q-1"})
    _notify(app, tenant, [user_id], "assigned", "Assigned %(n)s", {"n": "二"})  # off entirely
    assert [n.event for n in _rows(app, tenant, user_id)] == ["approval_waiting"]
    assert mail_count(app, email) == before + 1
    assert "Mentioned 一" in latest_mail(app, email)


def test_unread_count_mark_read_and_mark_all_read(app, tenant):
    user_id, client, _email = _person(app, tenant)
    other_id, other, _ = _person(app, tenant)
    for n in range(3):
        _notify(app, tenant, [user_id, other_id], "reminder", "Reminder %(n)s", {"n": n})
    home = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert 'data-testid="unread-count">3<' in home
    first, *_rest = _rows(app, tenant, user_id)
    theirs = _rows(app, tenant, other_id)[0]
    # Someone else's notification: as if it did not exist, and it stays unread.
    assert client.post(f"/t/{tenant.slug}/notifications/{theirs.id}/read").status_code == 404
    assert _rows(app, tenant, other_id)[0].read_at is None
    assert client.post(f"/t/{tenant.slug}/notifications/{first.id}/read").status_code == 302
    assert 'data-testid="unread-count">2<' in _page(client, tenant)
    assert client.post(f"/t/{tenant.slug}/notifications/read-all").status_code == 302
    assert 'data-testid="unread-count"' not in _page(client, tenant)
    assert all(n.read_at is None for n in _rows(app, tenant, other_id))


def test_open_marks_read_and_goes_to_the_record(app, tenant):
    user_id, client, _email = _person(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        customer_id = create_customer({"name": "连天红"}, user_id).id
        db.session.commit()
    _notify(app, tenant, [user_id], "assigned", "Assigned %(name)s", {"name": "连天红"},
            subject=("customer", customer_id))
    [row] = _rows(app, tenant, user_id)
    response = client.post(f"/t/{tenant.slug}/notifications/{row.id}/read", data={"open": "1"})
    assert response.location.endswith(f"/customers/{customer_id}")
    assert _rows(app, tenant, user_id)[0].read_at is not None


def test_nobody_hears_of_their_own_action_the_inactive_nothing_duplicates_once(app, tenant):
    user_id, _client, _email = _person(app, tenant)
    gone_id, _gone, _ = _person(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        db.session.get(User, gone_id).active = False
        db.session.commit()
    _notify(app, tenant, [user_id, user_id, str(user_id), gone_id, None], "reminder",
            "Hello", {}, actor_id=None)
    _notify(app, tenant, [user_id], "reminder", "My own doing", {}, actor_id=user_id)
    assert [n.msgid for n in _rows(app, tenant, user_id)] == ["Hello"]
    assert _rows(app, tenant, gone_id) == []


def test_a_rolled_back_change_notifies_nobody(app, tenant):
    user_id, _client, email = _person(app, tenant)
    before = mail_count(app, email)
    with app.test_request_context(), tenant_scope(tenant):
        notify([user_id], "reminder", "Never %(x)s", {"x": 1})
        db.session.rollback()
    assert _rows(app, tenant, user_id) == [] and mail_count(app, email) == before


def test_unknown_events_and_record_types_are_refused(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        with pytest.raises(ValueError):
            notify([owner_id()], "gossip", "Hi", {})
        with pytest.raises(ValueError):
            notify([owner_id()], "reminder", "Hi", {}, subject=("spaceship", 1))


def test_a_broken_translation_or_odd_parameters_never_break_the_page(app, tenant):
    user_id, client, _email = _person(app, tenant)
    _notify(app, tenant, [user_id], "reminder", "Due %(when)s and %(missing)s", {"when": "今天"})
    assert client.get(f"/t/{tenant.slug}/notifications").status_code == 200


def test_another_tenants_notification_cannot_be_marked_read(app, tenant, new_tenant):
    elsewhere = new_tenant()
    stranger_id, _stranger, _ = _person(app, elsewhere)
    _notify(app, elsewhere, [stranger_id], "reminder", "Theirs", {})
    [theirs] = _rows(app, elsewhere, stranger_id)
    _user_id, client, _email = _person(app, tenant)
    assert client.post(f"/t/{tenant.slug}/notifications/{theirs.id}/read").status_code == 404
    assert client.post(f"/t/{elsewhere.slug}/notifications/{theirs.id}/read").status_code in (302, 404)
    assert _rows(app, elsewhere, stranger_id)[0].read_at is None
