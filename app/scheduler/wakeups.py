"""When each tenant's handlers are next due: the public `wakeups` table.

A row per (tenant, handler), created lazily: a tenant with no row for a handler is
due now (the tick inserts the missing rows as due). due_at NULL: nothing to do
until wake_at. All times are UTC.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from app.extensions import db
from app.scheduler.models import Wakeup
from tenants.context import require_tenant

# Failures in a row before a handler is marked failed (until someone retries it).
MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 25, 60)  # then 60 minutes each


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def backoff(attempts: int) -> timedelta:
    """How long after its `attempts`-th failure in a row a handler is tried again."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def wake_at(name: str, when: datetime) -> None:
    """Run handler `name` for the current tenant at `when` or sooner, in the caller's transaction.

    An earlier due time already stored wins. A row made here is due now at the latest:
    a handler that never ran for this tenant catches up at once.
    """
    if when.tzinfo is None:
        raise ValueError("wake_at needs an aware datetime")
    now = utcnow()
    statement = insert(Wakeup).values(tenant_id=require_tenant().id, handler=name, due_at=min(when, now))
    db.session.execute(statement.on_conflict_do_update(
        constraint="uq_wakeups_tenant_handler",
        set_={"due_at": sa.func.least(Wakeup.due_at, when)}))


def due_now(name: str, tenant_id: int | None) -> bool:
    """Make the handler due now and clear its failures (Retry): True when it existed or was made."""
    now = utcnow()
    values = {"due_at": now, "attempts": 0, "failed_at": None, "last_error": None}
    row = db.session.scalars(sa.select(Wakeup).where(
        Wakeup.handler == name,
        Wakeup.tenant_id == tenant_id if tenant_id is not None else Wakeup.tenant_id.is_(None))
        .with_for_update()).first()
    if row is None:
        db.session.add(Wakeup(tenant_id=tenant_id, handler=name, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    db.session.flush()
    return True


def of_tenant(tenant_id: int) -> list[Wakeup]:
    return list(db.session.scalars(sa.select(Wakeup).where(Wakeup.tenant_id == tenant_id)
                                   .order_by(Wakeup.handler)))
