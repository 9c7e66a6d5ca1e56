"""Done and not done: the timeline entry, and a repeating task's next occurrence.

Done is one conditional UPDATE (… WHERE done_at IS NULL RETURNING): of two clicks or
two processes, exactly one wins, and only the winner writes the timeline entry and
makes the next occurrence. Flush, never commit.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.scheduler import wake_at
from app.tasks import recurrence
from app.tasks.models import Task
from app.tasks.services import REMINDERS, instant, local_naive
from app.timeline.models import TimelineEntry
from app.timeline.services import add_entry


def complete(task: Task, actor_id: int | None, zone: str) -> Task | None:
    """Mark task done; returns the next occurrence made, if any. A task already done
    (the second of a double click) changes nothing."""
    won = db.session.execute(
        sa.update(Task).where(Task.id == task.id, Task.done_at.is_(None),
                              Task.deleted_at.is_(None))
        .values(done_at=sa.func.now(), done_by_id=actor_id).returning(Task.id)
        .execution_options(synchronize_session=False)).scalar()
    db.session.refresh(task)
    if won is None:
        return None
    if task.customer_id is not None:
        add_entry(customer_id=task.customer_id, kind="task", title=_("Task done: %(title)s",
                                                                        title=task.title),
                  body=task.notes, user_id=actor_id, ref_type="task", ref_id=task.id,
                  contact_id=task.related_id if task.related_type == "contact" else None)
    return _next_occurrence(task, zone)


def reopen(task: Task) -> bool:
    """Not done after all: the completion's timeline entry and the next occurrence it made
    (while that one is still open) go away. False if the task was not done."""
    reopened = db.session.execute(
        sa.update(Task).where(Task.id == task.id, Task.done_at.is_not(None))
        .values(done_at=None, done_by_id=None).returning(Task.id)
        .execution_options(synchronize_session=False)).scalar()
    db.session.refresh(task)
    if reopened is None:
        return False
    db.session.execute(sa.delete(TimelineEntry).where(
        TimelineEntry.kind == "task", TimelineEntry.ref_type == "task",
        TimelineEntry.ref_id == task.id))
    db.session.execute(sa.update(Task).where(
        Task.follows_id == task.id, Task.done_at.is_(None), Task.deleted_at.is_(None))
        .values(deleted_at=sa.func.now()).execution_options(synchronize_session=False))
    return True


def _next_occurrence(task: Task, zone: str) -> Task | None:
    rule = recurrence.parse(task.recurrence) if task.recurrence else None
    if rule is None or task.due_date is None:
        return None
    following = recurrence.next_occurrence(rule, task.due_date)
    already = db.session.scalar(sa.select(Task.id).where(
        Task.follows_id == task.id, Task.deleted_at.is_(None)))
    if following is None or already is not None:
        return None
    due_date, next_rule = following
    shift = due_date - task.due_date
    successor = Task(
        title=task.title, notes=task.notes, priority=task.priority, owner_id=task.owner_id,
        unit_id=task.unit_id, created_by_id=task.created_by_id, related_type=task.related_type,
        related_id=task.related_id, customer_id=task.customer_id, recurrence=next_rule.text(),
        series_id=task.series_id or task.id, follows_id=task.id, custom=dict(task.custom or {}),
        due_date=due_date)
    # The same wall-clock time in the zone it was typed in, across daylight-saving changes.
    if task.due_at is not None:
        successor.due_at = _shifted(task.due_at, shift, zone)
    if task.remind_at is not None:
        successor.remind_at = _shifted(task.remind_at, shift, zone)
        if successor.remind_at > datetime.now(timezone.utc):
            wake_at(REMINDERS, successor.remind_at)
        else:
            successor.reminded_at = successor.remind_at  # a late completion: no stale reminder
    db.session.add(successor)
    db.session.flush()
    return successor


def _shifted(moment: datetime, days: timedelta, zone: str) -> datetime:
    local = local_naive(moment, zone) + days
    return instant(local.date(), local.time(), zone)
