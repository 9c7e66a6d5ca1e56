"""The personal ICS feed: RFC 5545 content, secret token, revocation."""
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.calendar.feed import escape_text, fold
from app.calendar.models import CalendarSettings
from app.extensions import db
from app.tasks.models import Task
from tenants.context import tenant_scope
from tests.calendar.helpers import UTC, meeting
from tests.conftest import owner_id


def _unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def test_the_feed_lists_meetings_and_dated_tasks_and_a_new_address_revokes_the_old(app, tenant, owner_client):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.get(User, owner_id())
        planned = meeting(owner, title="Visit: sofas, chairs; tables", starts=soon,
                          ends=soon + timedelta(hours=1), location="上海\n浦东", notes="Bring \\ samples")
        allday = meeting(owner, title="Trade fair", starts=soon, ends=soon + timedelta(days=1), all_day=True)
        canceled = meeting(owner, title="Dropped", starts=soon, ends=soon + timedelta(hours=1))
        canceled.canceled_at = datetime.now(UTC)
        db.session.add(Task(title="Call back 王经理", owner_id=owner.id, due_date=date.today() + timedelta(days=1)))
        db.session.add(Task(title="Done already", owner_id=owner.id, due_date=date.today(),
                            done_at=datetime.now(UTC)))
        db.session.commit()
        ids = planned.id, allday.id, canceled.id
    base = f"/t/{tenant.slug}/calendar"
    assert 'data-testid="feed-url"' not in owner_client.get(f"{base}/settings").get_data(as_text=True)
    assert owner_client.post(f"{base}/settings/feed").status_code == 302
    page = owner_client.get(f"{base}/settings").get_data(as_text=True)
    first = re.search(r'/calendar/feed/([\w-]+)\.ics', page).group(1)

    anonymous = app.test_client()
    response = anonymous.get(f"{base}/feed/{first}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    raw = response.get_data(as_text=True)
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    body = _unfold(raw)
    stamp = soon.strftime("%Y%m%dT%H%M%SZ")
    assert f"UID:meeting-{ids[0]}@{tenant.slug}.kehu" in body
    assert f"DTSTART:{stamp}" in body
    assert "SUMMARY:Visit: sofas\\, chairs\\; tables" in body
    assert "LOCATION:上海\\n浦东" in body and "DESCRIPTION:Bring \\\\ samples" in body
    assert re.search(rf"UID:meeting-{ids[1]}@.*?DTSTART;VALUE=DATE:\d{{8}}", body, re.S)
    assert re.search(rf"UID:meeting-{ids[2]}@.*?STATUS:CANCELLED", body, re.S)
    assert "SUMMARY:Call back 王经理" in body and "Done already" not in body
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") == 4

    assert owner_client.post(f"{base}/settings/feed").status_code == 302
    assert anonymous.get(f"{base}/feed/{first}.ics").status_code == 404
    with app.app_context(), tenant_scope(tenant):
        second = db.session.scalar(sa.select(CalendarSettings.feed_token))
    assert second != first and anonymous.get(f"{base}/feed/{second}.ics").status_code == 200
    assert anonymous.get(f"{base}/feed/not-a-token.ics").status_code == 404
    assert anonymous.get(f"{base}/feed/{'x' * 300}.ics").status_code == 404


def test_a_deactivated_users_feed_is_gone(app, tenant, owner_client):
    owner_client.post(f"/t/{tenant.slug}/calendar/settings/feed")
    with app.app_context(), tenant_scope(tenant):
        token = db.session.scalar(sa.select(CalendarSettings.feed_token))
        db.session.execute(sa.update(User).values(active=False))
        db.session.commit()
    assert app.test_client().get(f"/t/{tenant.slug}/calendar/feed/{token}.ics").status_code == 404


def test_text_is_escaped_and_long_lines_fold_between_characters():
    assert escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "拜访客户" * 20
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
