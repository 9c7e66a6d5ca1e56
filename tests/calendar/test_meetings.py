"""Meetings and visits: the form, its checks (times, attendees, related records, other
tenants' ids), who sees and who changes a meeting, cancel and held."""
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.calendar import services
from app.calendar.models import Meeting, MeetingAttendee
from app.contacts.services import create_contact
from app.customers.services import create_customer
from app.extensions import db
from app.timeline.models import TimelineEntry
from tenants.context import tenant_scope
from tests.calendar.helpers import UTC, meeting, user
from tests.conftest import add_user, login, owner_id


def _commit(app, tenant, build):
    with app.app_context(), tenant_scope(tenant):
        result = build()
        db.session.commit()
        return result


def _form(**values):
    data = {"title": "Visit 连天红", "kind": "visit", "starts_on": "2026-12-10",
            "starts_time": "10:00", "ends_on": "2026-12-10", "ends_time": "11:30",
            "location": "上海", "related_type": "", "related_id": "", "remind_minutes": "30"}
    data.update(values)
    return data


def _rep(app, tenant, **fields):
    email = f"rep-{fields.get('name', 'x').lower()}@{tenant.slug}.example"
    user_id = add_user(app, tenant, "sales_rep", email, **fields)
    client = app.test_client()
    assert login(client, tenant, email=email).status_code == 302
    return user_id, client


def test_a_rep_plans_a_visit_with_a_contact_and_sees_it_in_the_week(app, tenant):
    rep_id, rep = _rep(app, tenant, name="Li", time_zone="Asia/Shanghai")
    ids = _commit(app, tenant, lambda: (
        lambda c: (c.id, create_contact({"name": "王经理", "customer_code": c.code}, rep_id).id)
    )(create_customer({"name": "连天红家具"}, rep_id)))
    customer_id, contact_id = ids
    colleague = add_user(app, tenant, "sales_rep", f"zhang@{tenant.slug}.example", name="Zhang")
    response = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(
        related_type="customer", related_id=str(customer_id), user_ids=[str(colleague)],
        contact_ids=[str(contact_id)]))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        saved = db.session.scalars(sa.select(Meeting)).one()
        assert (saved.starts_at, saved.customer_id, saved.owner_id) == (
            datetime(2026, 12, 10, 2, 0, tzinfo=UTC), customer_id, rep_id)  # 10:00 in Shanghai
        assert saved.remind_at == datetime(2026, 12, 10, 1, 30, tzinfo=UTC)
        assert {(a.user_id, a.contact_id) for a in saved.attendees} == {(colleague, None), (None, contact_id)}
    week = rep.get(f"/t/{tenant.slug}/calendar/?view=week&date=2026-12-10").get_data(as_text=True)
    cell = re.search(r'data-day="2026-12-10">(.*?)</td>', week, re.S).group(1)
    assert "10:00" in cell and "Visit 连天红" in cell
    page = rep.get(f"/t/{tenant.slug}/calendar/{saved.id}").get_data(as_text=True)
    assert "王经理" in page and "Zhang" in page


def test_plan_a_visit_from_a_customer_offers_its_visible_contacts(app, tenant, owner_client):
    customer_id = _commit(app, tenant, lambda: (lambda c: (
        create_contact({"name": "王经理", "customer_code": c.code}, owner_id()), c.id)[1])(
        create_customer({"name": "连天红家具"}, owner_id())))
    page = owner_client.get(f"/t/{tenant.slug}/customers/{customer_id}").get_data(as_text=True)
    link = f"/t/{tenant.slug}/calendar/new?related_type=customer&amp;related_id={customer_id}"
    assert link in page
    form = owner_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "王经理" in form and '<option selected value="visit">' in form


def test_an_end_before_the_start_is_a_form_error_and_nothing_is_saved(app, tenant):
    _rep_id, rep = _rep(app, tenant, name="Li")
    response = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(ends_time="09:00"))
    assert response.status_code == 422
    assert "The end is before the start." in response.get_data(as_text=True)
    assert 'value="Visit 连天红"' in response.get_data(as_text=True)  # what was typed stays
    response = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(starts_time="", ends_time=""))
    assert response.status_code == 422 and "Enter a time, or tick all day." in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_five_hundred_attendees_and_garbage_ids_are_refused(app, tenant):
    _rep_id, rep = _rep(app, tenant, name="Li")
    many = rep.post(f"/t/{tenant.slug}/calendar/new",
                    data=_form(user_ids=[str(n) for n in range(1, 501)]))
    assert many.status_code == 422 and "At most 100 attendees." in many.get_data(as_text=True)
    unknown = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(user_ids=["987654"]))
    assert unknown.status_code == 422
    assert "Invite active users of this workspace only." in unknown.get_data(as_text=True)
    garbage = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(user_ids=["x'"], remind_minutes="-5"))
    assert garbage.status_code == 422
    far = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(
        starts_on="9999-12-31", ends_on="9999-12-31", all_day="y"))
    assert far.status_code == 422 and "Enter a date between 1900 and 2200." in far.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_another_tenants_contact_and_a_hidden_record_are_refused(app, tenant, new_tenant):
    other = new_tenant()
    other_contact = _commit(app, other, lambda: create_contact(
        {"name": "Foreign", "customer_code": create_customer({"name": "Other Co"}, owner_id()).code},
        owner_id()).id)
    rep_id, rep = _rep(app, tenant, name="Li")
    mine, hidden = _commit(app, tenant, lambda: (
        create_customer({"name": "Mine"}, rep_id).id, create_customer({"name": "Owner's"}, owner_id()).id))
    foreign = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(
        related_type="customer", related_id=str(mine), contact_ids=[str(other_contact)]))
    assert foreign.status_code == 422
    assert "Invite contacts of the related customer only." in foreign.get_data(as_text=True)
    secret = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(
        related_type="customer", related_id=str(hidden)))
    assert secret.status_code == 422
    assert "No record of this kind has this number." in secret.get_data(as_text=True)
    bogus = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(related_type="meeting", related_id="1"))
    assert bogus.status_code == 422
    huge = rep.post(f"/t/{tenant.slug}/calendar/new", data=_form(
        related_type="customer", related_id="9" * 30, user_ids=["9" * 30]))
    assert huge.status_code == 422
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_a_contact_of_another_customer_or_without_a_customer_is_refused(scope):
    owner = db.session.get(User, owner_id())
    first = create_customer({"name": "A"}, owner.id)
    second = create_customer({"name": "B"}, owner.id)
    theirs = create_contact({"name": "B's buyer", "customer_code": second.code}, owner.id)
    with pytest.raises(services.MeetingError) as error:
        meeting(owner, related_type="customer", related_id=first.id, contact_ids=(theirs.id,))
    assert error.value.field == "contact_ids"
    with pytest.raises(services.MeetingError) as error:
        meeting(owner, contact_ids=(theirs.id,))
    assert error.value.field == "contact_ids"
    deal_meeting = meeting(owner, related_type="contact", related_id=theirs.id, contact_ids=(theirs.id,))
    assert deal_meeting.customer_id == second.id


def test_others_see_only_what_they_attend_or_may_see_and_attendees_cannot_change_it(app, tenant):
    owner_meeting = _commit(app, tenant, lambda: meeting(
        db.session.get(User, owner_id()),
        title="Board meeting").id)
    rep_id, rep = _rep(app, tenant, name="Li")
    assert rep.get(f"/t/{tenant.slug}/calendar/{owner_meeting}").status_code == 404
    # Naming the owner in ?user= shows the rep's own calendar: the owner is not in their team.
    page = rep.get(f"/t/{tenant.slug}/calendar/?view=month&date=2026-12-01&user=1").get_data(as_text=True)
    assert "Board meeting" not in page
    with app.app_context(), tenant_scope(tenant):
        db.session.add(MeetingAttendee(meeting_id=owner_meeting, user_id=rep_id))
        db.session.commit()
    assert "Board meeting" in rep.get(f"/t/{tenant.slug}/calendar/{owner_meeting}").get_data(as_text=True)
    assert "Board meeting" in rep.get(
        f"/t/{tenant.slug}/calendar/?view=month&date=2026-12-01").get_data(as_text=True)
    assert rep.get(f"/t/{tenant.slug}/calendar/{owner_meeting}/edit").status_code == 404
    assert rep.post(f"/t/{tenant.slug}/calendar/{owner_meeting}/cancel").status_code == 404


def test_edit_hold_once_and_cancel(app, tenant, owner_client):
    customer_id, meeting_id = _commit(app, tenant, lambda: (
        lambda c: (c.id, meeting(db.session.get(User, owner_id()), kind="visit", related_type="customer",
                                 related_id=c.id).id))(create_customer({"name": "连天红"}, owner_id())))
    base = f"/t/{tenant.slug}/calendar/{meeting_id}"
    edited = owner_client.post(f"{base}/edit", data=_form(title="Second visit", related_type="customer",
                                                          related_id=str(customer_id)))
    assert edited.status_code == 302
    for _click in range(2):  # a double click holds it once
        assert owner_client.post(f"{base}/held", data={"outcome": "签了意向书"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        entries = db.session.scalars(sa.select(TimelineEntry).where(
            TimelineEntry.customer_id == customer_id, TimelineEntry.kind == "meeting")).all()
        assert [(e.title, e.body, e.ref_type, e.ref_id) for e in entries] == [
            ("Visit held: Second visit", "签了意向书", "meeting", meeting_id)]
    assert "签了意向书" in owner_client.get(base).get_data(as_text=True)
    assert owner_client.post(f"{base}/cancel").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Meeting, meeting_id).canceled_at is not None
    week = owner_client.get(f"/t/{tenant.slug}/calendar/?view=week&date=2026-12-10").get_data(as_text=True)
    assert "Second visit" not in week


def test_meetings_move_with_a_leaving_user_and_a_merged_customer(scope):
    from app.access.ownership import reassign_records
    from app.customers.merging import merge_customers

    owner = db.session.get(User, owner_id())
    keep, duplicate = create_customer({"name": "Keep"}, owner.id), create_customer({"name": "Dup"}, owner.id)
    planned = meeting(owner, related_type="customer", related_id=duplicate.id)
    merge_customers(keep, duplicate, owner.id)
    successor = user("sales_manager")
    reassign_records(owner.id, successor.id)
    db.session.refresh(planned)
    assert (planned.customer_id, planned.owner_id) == (keep.id, successor.id)


def test_nonsense_in_the_query_string_shows_the_current_page(owner_client, tenant):
    base = f"/t/{tenant.slug}/calendar"
    for query in ("view=month&date=9999-12-31", "view=day&date=0001-01-01", "view=year&date=x",
                  "user=abc", "view=week&date=2026-02-30"):
        assert owner_client.get(f"{base}/?{query}").status_code == 200, query
    assert owner_client.get(f"{base}/weekly-report?week=9999-12-31").status_code == 200
    assert owner_client.get(f"{base}/new?on=9999-12-31&related_id=x").status_code == 200
