"""Creating, changing, completing and deleting tasks. Flush, never commit.

Times: a due time and a reminder are typed in the zone of the user typing them and
stored as the UTC instant (due_at, remind_at); due_date is the day as typed. A
reminder fires at that instant even if someone's time zone changes later: what was
chosen was a moment, "09:00 in Shanghai", not a wall-clock time that moves.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db
from app.i18n import N_
from app.notifications import notify
from app.records import record_title, record_type
from app.scheduler import wake_at
from app.tasks import recurrence
from app.tasks.models import PRIORITIES, Task

REMINDERS = "tasks.reminders"


class TaskError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(field)
        self.field, self.message = field, message


@dataclass
class TaskInput:
    """What a form (or a caller) asks for; times are wall-clock times in `zone`."""
    title: str
    owner_id: int | None
    zone: str
    notes: str | None = None
    due_date: date | None = None
    due_time: time | None = None
    priority: str = "normal"
    rule: recurrence.Rule | None = None
    remind_at: datetime | None = None  # naive, in `zone`
    related: tuple[str, object] | None = None  # (record type key, the record), checked visible


def instant(day: date, clock: time, zone: str) -> datetime:
    """The UTC instant of a wall-clock time in zone. A time skipped by daylight saving
    (02:30 on the spring-forward night) is read with the offset before the jump (03:30)."""
    local = datetime.combine(day, clock).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(timezone.utc)


def local_naive(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _assignee(owner_id: int | None) -> User:
    user = db.session.get(User, owner_id) if owner_id else None
    if user is None or not user.active:
        raise TaskError("owner_id", _l("Choose an active user."))
    return user


def _check(values: TaskInput) -> None:
    title = (values.title or "").strip()
    if not title:
        raise TaskError("title", _l("Give the task a title."))
    if len(title) > 200:
        raise TaskError("title", _l("A title has at most 200 characters."))
    if values.priority not in PRIORITIES:
        raise TaskError("priority", _l("Choose a priority."))
    if values.due_time is not None and values.due_date is None:
        raise TaskError("due_date", _l("A due time needs a due date."))
    if values.rule is not None and values.due_date is None:
        raise TaskError("due_date", _l("A repeating task needs a due date."))


def _apply(task: Task, values: TaskInput, now: datetime) -> None:
    _check(values)
    owner = _assignee(values.owner_id)
    task.title, task.notes = values.title.strip(), (values.notes or "").strip() or None
    task.priority, task.owner_id, task.unit_id = values.priority, owner.id, owner.unit_id
    task.due_date = values.due_date
    task.due_at = (instant(values.due_date, values.due_time, values.zone)
                   if values.due_time is not None else None)
    task.recurrence = values.rule.text() if values.rule is not None else None
    remind_at = (instant(values.remind_at.date(), values.remind_at.time(), values.zone)
                 if values.remind_at is not None else None)
    if remind_at != task.remind_at:
        if remind_at is not None and remind_at <= now:
            raise TaskError("remind_at", _l("This reminder is in the past and would never "
                                            "ring. Choose a later time."))
        task.remind_at, task.reminded_at = remind_at, None
    if values.related is not None:
        key, record = values.related
        task.related_type, task.related_id = key, record.id
        task.customer_id = record_type(key).customer_id(record)
    if task.remind_at is not None and task.reminded_at is None:
        wake_at(REMINDERS, task.remind_at)


def create_task(values: TaskInput, actor_id: int | None, now: datetime | None = None) -> Task:
    task = Task(created_by_id=actor_id, custom={})
    _apply(task, values, now or datetime.now(timezone.utc))
    db.session.add(task)
    db.session.flush()
    task.series_id = task.id
    _tell_assignee(task, actor_id)
    return task


def update_task(task: Task, values: TaskInput, actor_id: int | None,
                now: datetime | None = None) -> None:
    previous_owner = task.owner_id
    _apply(task, values, now or datetime.now(timezone.utc))
    db.session.flush()
    if task.owner_id != previous_owner:
        _tell_assignee(task, actor_id)


def _tell_assignee(task: Task, actor_id: int | None) -> None:
    if task.owner_id == actor_id or actor_id is None:
        return
    actor = db.session.get(User, actor_id)
    notify([task.owner_id], "assigned", N_("%(actor)s gave you the task %(task)s"),
           {"actor": actor.name if actor else "", "task": task.title},
           subject=("task", task.id), actor_id=actor_id)


def is_overdue(task: Task, today: date, now: datetime) -> bool:
    if task.done_at is not None or task.due_date is None:
        return False
    if task.due_at is not None:
        return task.due_at < now
    return task.due_date < today


def delete_task(task: Task) -> None:
    """Soft delete: the row stays for the audit log, its reminder never fires."""
    task.deleted_at = sa.func.now()
    db.session.flush()


def related_record(task: Task, user):
    """The record the task is about, if it still exists and user may see it."""
    from app.records import find_record

    if not task.related_type:
        return None
    return find_record(task.related_type, task.related_id, user)


def related_label(task: Task, user) -> str | None:
    record = related_record(task, user)
    return record_title(task.related_type, record) if record is not None else None


def zone_of(user_id: int | None) -> str:
    """The user's time zone, else the tenant's (where a repeating task keeps its hour)."""
    from tenants.context import current_tenant

    user = db.session.get(User, user_id) if user_id else None
    tenant = current_tenant()
    return (user.time_zone if user else None) or (tenant.time_zone if tenant else None) or "UTC"
