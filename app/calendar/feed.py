"""The personal ICS feed (RFC 5545) phone calendars subscribe to: a secret token per
user in the URL, no log-in. Regenerating the token revokes the old address."""
import secrets
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from app.auth.models import User
from app.calendar.models import CalendarSettings, Meeting
from app.calendar.services import attended_between
from app.calendar.times import user_zone
from app.extensions import db

PAST = timedelta(days=90)      # what a subscribed phone still shows of the past
FUTURE = timedelta(days=400)
MAX_EVENTS = 5000


def settings_of(user_id: int) -> CalendarSettings:
    """The user's row, made on first use (a double click makes one)."""
    db.session.execute(insert(CalendarSettings).values(user_id=user_id, daily_agenda=False)
                       .on_conflict_do_nothing())
    return db.session.get(CalendarSettings, user_id)


def new_feed_token(user_id: int) -> str:
    """A fresh secret for the user's feed; the previous address stops working at once."""
    settings = settings_of(user_id)
    settings.feed_token = secrets.token_urlsafe(32)
    db.session.flush()
    return settings.feed_token


def feed_owner(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(User).join(
        CalendarSettings, CalendarSettings.user_id == User.id).where(
        CalendarSettings.feed_token == token, User.active))


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def _event(uid: str, stamp: datetime, summary: str, start: str, end: str, *,
           location=None, description=None, status="CONFIRMED", all_day=False) -> list[str]:
    value = ";VALUE=DATE" if all_day else ""
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_utc(stamp)}",
             f"DTSTART{value}:{start}", f"DTEND{value}:{end}",
             f"SUMMARY:{escape_text(summary)}", f"STATUS:{status}"]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append("END:VEVENT")
    return lines


def build_feed(user: User, domain: str, calendar_name: str, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kehu CRM//Calendar//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(calendar_name)}"]
    meetings = db.session.scalars(sa.select(Meeting).where(
        Meeting.id.in_(attended_between(user.id, now - PAST, now + FUTURE)),
        Meeting.deleted_at.is_(None)).order_by(Meeting.starts_at, Meeting.id).limit(MAX_EVENTS))
    zone = user_zone(user)
    for meeting in meetings:
        if meeting.all_day:
            first = meeting.starts_at.astimezone(zone).date()
            after = max(meeting.ends_at.astimezone(zone).date(), first + timedelta(days=1))
            start, end = _day(first), _day(after)
        else:
            start, end = _utc(meeting.starts_at), _utc(meeting.ends_at)
        lines += _event(f"meeting-{meeting.id}@{domain}", meeting.updated_at or now, meeting.title,
                        start, end, location=meeting.location, description=meeting.notes,
                        status="CANCELLED" if meeting.canceled_at else "CONFIRMED",
                        all_day=meeting.all_day)
    for task in _open_tasks(user.id, (now - PAST).date()):
        if task.due_at is not None:
            start, end, all_day = _utc(task.due_at), _utc(task.due_at), False
        else:
            start, end, all_day = _day(task.due_date), _day(task.due_date + timedelta(days=1)), True
        lines += _event(f"task-{task.id}@{domain}", task.updated_at or now, task.title, start, end,
                        description=task.notes, all_day=all_day)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _open_tasks(user_id: int, since: date):
    """The user's open tasks with a due date (the tasks module owns the table: read it plainly)."""
    return db.session.execute(sa.text(
        "SELECT id, title, notes, due_date, due_at, updated_at FROM tasks "
        "WHERE owner_id = :user_id AND deleted_at IS NULL AND done_at IS NULL "
        "AND due_date IS NOT NULL AND due_date >= :since ORDER BY due_date, id LIMIT :limit"),
        {"user_id": user_id, "since": since, "limit": MAX_EVENTS}).all()
