"""The daily agenda e-mail (opt-in, on the calendar settings page): each local morning,
today's meetings and the open tasks due today or earlier."""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, gettext as _

from app.auth.models import User
from app.calendar.models import CalendarSettings
from app.calendar.reminders import next_local, users_by_local_day
from app.calendar.services import meetings_between
from app.calendar.times import local_midnight, user_zone
from app.extensions import db
from app.mail import send_after_commit
from app.scheduler import due_work
from tenants.context import current_tenant

AGENDA_AT = time(7, 0)


@due_work("calendar.agenda")
def send_daily_agendas(now: datetime) -> datetime:
    for today, user_ids in users_by_local_day(now, AGENDA_AT).items():
        # Claim each user's day once: two ticks at once send one agenda.
        claimed = db.session.scalars(sa.update(CalendarSettings).where(
            CalendarSettings.user_id.in_(user_ids), CalendarSettings.daily_agenda,
            sa.or_(CalendarSettings.agenda_sent_on.is_(None), CalendarSettings.agenda_sent_on < today))
            .values(agenda_sent_on=today).returning(CalendarSettings.user_id)).all()
        for user in db.session.scalars(sa.select(User).where(User.id.in_(claimed))):
            _send_agenda(user, today)
    return next_local(now, AGENDA_AT)


def due_tasks(user_id: int, today: date):
    """Open tasks of the user due today or before (the tasks module owns the table)."""
    return db.session.execute(sa.text(
        "SELECT id, title, due_date FROM tasks WHERE owner_id = :user_id AND deleted_at IS NULL "
        "AND done_at IS NULL AND due_date <= :today ORDER BY due_date, id LIMIT 50"),
        {"user_id": user_id, "today": today}).all()


def agenda_text(user: User, today: date) -> tuple[str, str]:
    zone = user_zone(user)
    meetings = meetings_between(user.id, user, local_midnight(today, zone),
                                local_midnight(today + timedelta(days=1), zone))
    lines = [_("Your agenda for %(day)s", day=today.isoformat()), "", _("Meetings")]
    for meeting in meetings:
        when = (_("all day") if meeting.all_day
                else meeting.starts_at.astimezone(zone).strftime("%H:%M"))
        where = f" ({meeting.location})" if meeting.location else ""
        lines.append(f"- {when} {meeting.title}{where}")
    if not meetings:
        lines.append(_("No meetings today."))
    lines += ["", _("Tasks")]
    tasks = due_tasks(user.id, today)
    for task in tasks:
        late = f" ({_('due %(day)s', day=task.due_date.isoformat())})" if task.due_date < today else ""
        lines.append(f"- {task.title}{late}")
    if not tasks:
        lines.append(_("No tasks due."))
    return _("Agenda for %(day)s", day=today.isoformat()), "\n".join(lines)


def _send_agenda(user: User, today: date) -> None:
    tenant = current_tenant()
    with force_locale(user.locale or (tenant.locale if tenant else None) or "en"):
        subject, text = agenda_text(user, today)
    send_after_commit(user.email, subject, text)
