"""Time zones: one meeting at each reader's local time, month grids cut at local midnight,
and daylight-saving days (America/New_York) for entry and for reminders."""
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import time_machine

from app.auth.models import User
from app.calendar import reminders
from app.calendar.models import Meeting
from app.calendar.times import page_range, to_utc
from app.extensions import db
from app.scheduler import run_due_now
from tenants.context import tenant_scope
from tests.calendar.helpers import UTC, meeting
from tests.conftest import add_user, login

NEW_YORK, SHANGHAI = ZoneInfo("America/New_York"), ZoneInfo("Asia/Shanghai")


def _client(app, tenant, name, zone):
    email = f"{name}@{tenant.slug}.example"
    user_id = add_user(app, tenant, "sales_rep", email, name=name, time_zone=zone)
    client = app.test_client()
    assert login(client, tenant, email=email).status_code == 302
    return user_id, client


def test_shanghai_and_new_york_see_one_meeting_at_their_own_times(app, tenant):
    shanghai_id, shanghai = _client(app, tenant, "Li", "Asia/Shanghai")
    new_york_id, new_york = _client(app, tenant, "Amy", "America/New_York")
    with app.app_context(), tenant_scope(tenant):
        # 03:00 UTC on 1 December: 11:00 the same day in Shanghai, 22:00 the day before in New York
        call = meeting(db.session.get(User, shanghai_id), title="Quarterly call",
                       starts=datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
                       ends=datetime(2026, 12, 1, 4, 0, tzinfo=UTC), user_ids=(new_york_id,))
        db.session.commit()
        call_id = call.id
    show = f"/t/{tenant.slug}/calendar/{call_id}"
    assert "2026-12-01 11:00 – 2026-12-01 12:00" in shanghai.get(show).get_data(as_text=True)
    assert "2026-11-30 22:00 – 2026-11-30 23:00" in new_york.get(show).get_data(as_text=True)

    def cells(client, month):
        page = client.get(f"/t/{tenant.slug}/calendar/?view=month&date={month}").get_data(as_text=True)
        return {day: body for day, body in re.findall(r'data-day="([\d-]+)">(.*?)</td>', page, re.S)}

    in_shanghai, in_new_york = cells(shanghai, "2026-12-01"), cells(new_york, "2026-12-01")
    assert "Quarterly call" in in_shanghai["2026-12-01"] and "Quarterly call" not in in_shanghai["2026-11-30"]
    assert "Quarterly call" in in_new_york["2026-11-30"] and "Quarterly call" not in in_new_york["2026-12-01"]
    # November's grid in Shanghai (it ends on Sunday 6 December) shows it on the 1st too.
    assert "Quarterly call" in cells(shanghai, "2026-11-01")["2026-12-01"]
    # January's grid starts on Monday 28 December: the call is in neither of its cells.
    assert all("Quarterly call" not in body for body in cells(new_york, "2027-01-01").values())


def test_month_grids_are_whole_weeks_cut_at_local_midnight():
    span = page_range("month", date(2026, 2, 14), SHANGHAI)
    assert (span.first, span.last, span.days) == (date(2026, 1, 26), date(2026, 3, 1), 35)
    assert span.start_utc == datetime(2026, 1, 25, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    assert (span.previous, span.next) == (date(2026, 1, 1), date(2026, 3, 1))
    december = page_range("month", date(2026, 12, 31), NEW_YORK)
    assert (december.next, december.previous) == (date(2027, 1, 1), date(2026, 11, 1))
    assert december.end_utc == datetime(2027, 1, 4, 5, 0, tzinfo=UTC)


def test_a_meeting_entered_across_the_spring_forward_keeps_its_wall_clock_time(app, tenant):
    user_id, client = _client(app, tenant, "Amy", "America/New_York")
    for day in ("2026-03-07", "2026-03-08"):  # New York moves its clocks on Sunday 8 March, 02:00
        client.post(f"/t/{tenant.slug}/calendar/new", data={
            "title": f"Stand-up {day}", "kind": "meeting", "starts_on": day, "starts_time": "09:00",
            "ends_on": day, "ends_time": "09:15", "remind_minutes": "30"})
    with app.app_context(), tenant_scope(tenant):
        starts = dict(db.session.execute(sa.select(Meeting.title, Meeting.starts_at)).all())
        assert starts == {"Stand-up 2026-03-07": datetime(2026, 3, 7, 14, 0, tzinfo=UTC),
                          "Stand-up 2026-03-08": datetime(2026, 3, 8, 13, 0, tzinfo=UTC)}
    week = client.get(f"/t/{tenant.slug}/calendar/?view=week&date=2026-03-08").get_data(as_text=True)
    assert week.count("09:00") == 2
    # 02:30 does not exist that night: it becomes 03:30 EDT, as phone calendars do.
    assert to_utc(date(2026, 3, 8), time(2, 30), NEW_YORK) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_reminders_fire_at_the_local_time_across_the_fall_back(app, tenant, monkeypatch):
    sent = []
    monkeypatch.setattr(reminders, "notify", lambda ids, event, message, params, **kw: sent.append(
        (tuple(ids), params.get("time"))))
    user_id, _client_ = _client(app, tenant, "Amy", "America/New_York")
    with app.app_context(), tenant_scope(tenant):
        amy = db.session.get(User, user_id)
        # Planned on Friday for Sunday 1 November 2026, 09:00 EST (UTC-5), reminded 15 minutes before
        with time_machine.travel(datetime(2026, 10, 30, 12, 0, tzinfo=UTC), tick=False):
            meeting(amy, starts=datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
                    ends=datetime(2026, 11, 1, 15, 0, tzinfo=UTC), remind_minutes=15)
        with time_machine.travel(datetime(2026, 11, 1, 13, 44, tzinfo=UTC), tick=False):
            run_due_now(datetime.now(UTC))
            assert sent == []
        with time_machine.travel(datetime(2026, 11, 1, 13, 45, tzinfo=UTC), tick=False):
            run_due_now(datetime.now(UTC))
        assert sent == [((user_id,), "2026-11-01 09:00")]
        # The morning round: 08:00 EDT on Saturday is 12:00 UTC, 08:00 EST on Sunday 13:00 UTC.
        db.session.execute(sa.update(User).where(User.id != user_id).values(time_zone="America/New_York"))
        assert reminders.next_local(datetime(2026, 10, 31, 11, 0, tzinfo=UTC)) == datetime(
            2026, 10, 31, 12, 0, tzinfo=UTC)
        assert reminders.next_local(datetime(2026, 10, 31, 12, 0, tzinfo=UTC)) == datetime(
            2026, 11, 1, 13, 0, tzinfo=UTC)
        db.session.rollback()
