"""Announcements: posted by admins to everyone or to a unit and its sub-units, shown on
"My day" until read."""
import re
import secrets

import sqlalchemy as sa

from app.announcements.models import Announcement
from app.extensions import db
from app.notifications.models import Notification
from app.org.models import Unit
from tenants.context import tenant_scope
from tests.conftest import add_user, client_as, login


def _units(app, tenant):
    """HQ → East → Shanghai store, and West beside East."""
    with app.app_context(), tenant_scope(tenant):
        hq = Unit(name="总部", kind="head_office")
        db.session.add(hq)
        db.session.flush()
        east, west = Unit(name="华东", kind="region", parent_id=hq.id), Unit(
            name="华西", kind="region", parent_id=hq.id)
        db.session.add_all([east, west])
        db.session.flush()
        store = Unit(name="上海店", kind="store", parent_id=east.id)
        db.session.add(store)
        db.session.commit()
        return {"hq": hq.id, "east": east.id, "west": west.id, "store": store.id}


def _member(app, tenant, unit_id):
    email = f"rep-{secrets.token_hex(3)}@{tenant.slug}.example"
    user_id = add_user(app, tenant, "sales_rep", email, unit_id=unit_id)
    client = app.test_client()
    assert login(client, tenant, email).status_code == 302
    return user_id, client


def _my_day(client, tenant):
    """The announcements panel of the user's "My day" ("" when it is not shown)."""
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    found = re.search(r'<section[^>]*data-panel="announcements".*?</section>', page, re.S)
    return found.group(0) if found else ""


def _announcement_id(app, tenant, title):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalar(sa.select(Announcement.id).where(Announcement.title == title))


def test_an_announcement_to_a_unit_reaches_only_that_unit_and_the_units_below(app, tenant,
                                                                                 owner_client):
    units = _units(app, tenant)
    people = {name: _member(app, tenant, unit_id) for name, unit_id in units.items()}
    response = owner_client.post(f"/t/{tenant.slug}/announcements/new", data={
        "title": "华东区年终冲刺", "body": "本月目标<b>翻倍</b>\n加油", "unit": units["east"]})
    assert response.status_code == 302
    for name, (user_id, client) in people.items():
        page = _my_day(client, tenant)
        assert ("华东区年终冲刺" in page) is (name in ("east", "store")), name
    assert "&lt;b&gt;翻倍&lt;/b&gt;" in _my_day(people["store"][1], tenant)  # text, not markup
    with app.app_context(), tenant_scope(tenant):
        told = set(db.session.scalars(sa.select(Notification.user_id).where(
            Notification.event == "announcement")))
    assert told == {people["east"][0], people["store"][0]}
    # West cannot mark read what was never meant for it; the store reader dismisses it.
    announcement_id = _announcement_id(app, tenant, "华东区年终冲刺")
    west = people["west"][1]
    assert west.post(f"/t/{tenant.slug}/announcements/{announcement_id}/read").status_code == 404
    store = people["store"][1]
    assert store.post(f"/t/{tenant.slug}/announcements/{announcement_id}/read").status_code == 302
    assert store.post(f"/t/{tenant.slug}/announcements/{announcement_id}/read").status_code == 302
    assert "华东区年终冲刺" not in _my_day(store, tenant)
    assert "华东区年终冲刺" in _my_day(people["east"][1], tenant)


def test_an_announcement_to_everyone_reaches_users_without_a_unit_too(app, tenant, owner_client):
    _user_id, loner = _member(app, tenant, None)
    owner_client.post(f"/t/{tenant.slug}/announcements/new",
                      data={"title": "春节放假通知", "body": "2月10日至17日放假", "unit": 0})
    assert "春节放假通知" in _my_day(loner, tenant)


def test_admins_edit_and_delete_and_bad_input_comes_back_with_its_error(app, tenant, owner_client):
    base = f"/t/{tenant.slug}/announcements"
    empty = owner_client.post(f"{base}/new", data={"title": "  ", "body": "x", "unit": 0})
    assert empty.status_code == 422
    unknown_unit = owner_client.post(f"{base}/new", data={"title": "t", "body": "x", "unit": 98765})
    assert unknown_unit.status_code == 422
    owner_client.post(f"{base}/new", data={"title": "旧标题", "body": "内容", "unit": 0})
    announcement_id = _announcement_id(app, tenant, "旧标题")
    response = owner_client.post(f"{base}/{announcement_id}/edit",
                                 data={"title": "新标题", "body": "内容", "unit": 0})
    assert response.status_code == 302
    listing = owner_client.get(base).get_data(as_text=True)
    assert "新标题" in listing and "旧标题" not in listing
    assert owner_client.post(f"{base}/{announcement_id}/delete").status_code == 302
    assert "新标题" not in owner_client.get(base).get_data(as_text=True)
    assert owner_client.post(f"{base}/{announcement_id}/delete").status_code == 404
    rep = client_as(app, tenant, "sales_rep")
    assert rep.post(f"{base}/new", data={"title": "t", "body": "x", "unit": 0}).status_code == 403
