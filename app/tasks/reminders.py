"""Task reminders: the scheduler's "tasks.reminders" handler.

Each due reminder is claimed by one UPDATE … WHERE reminded_at IS NULL, its rows
picked with FOR UPDATE SKIP LOCKED, so two ticks running at once (two threads, two
machines) never notify twice: a row is either claimed by this transaction, or
locked or already claimed by another and skipped. A deleted or done task is never
claimed. The notification names the task; the time is the reader's to see.
"""
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.i18n import N_
from app.notifications import notify
from app.scheduler import due_work
from app.tasks.models import Task

BATCH = 1000
_PENDING = (Task.remind_at.is_not(None), Task.reminded_at.is_(None), Task.deleted_at.is_(None),
            Task.done_at.is_(None))


def claim_due(now: datetime, limit: int = BATCH) -> list:
    """Mark up to `limit` due reminders as sent; (id, owner_id, title) of those this call won."""
    due = (sa.select(Task.id).where(*_PENDING, Task.remind_at <= now)
           .order_by(Task.remind_at).limit(limit).with_for_update(skip_locked=True))
    claimed = sa.update(Task).where(Task.id.in_(due.scalar_subquery()), Task.reminded_at.is_(None)) \
        .values(reminded_at=now).returning(Task.id, Task.owner_id, Task.title) \
        .execution_options(synchronize_session=False)
    return db.session.execute(claimed).all()


@due_work("tasks.reminders")
def send_due_reminders(now: datetime) -> datetime | None:
    """Notify the assignee of every due reminder; return when the next one is due."""
    while True:
        rows = claim_due(now)
        for task_id, owner_id, title in rows:
            if owner_id is not None:
                notify([owner_id], "task_due", N_("Reminder: %(task)s"), {"task": title},
                       subject=("task", task_id))
        if len(rows) < BATCH:
            break
    return db.session.scalar(sa.select(sa.func.min(Task.remind_at)).where(*_PENDING))
