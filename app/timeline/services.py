"""Adding to and reading a customer's timeline."""
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.timeline.models import ENTRY_KINDS, TimelineEntry


def add_entry(*, customer_id: int | None, kind: str, title: str, body: str | None = None,
              contact_id: int | None = None, user_id: int | None = None,
              ref_type: str | None = None, ref_id: int | None = None,
              occurred_at: datetime | None = None) -> TimelineEntry:
    if kind not in ENTRY_KINDS:
        raise ValueError(f"unknown timeline entry kind {kind!r}")
    entry = TimelineEntry(customer_id=customer_id, contact_id=contact_id, kind=kind,
                          title=title[:200], body=body, user_id=user_id, ref_type=ref_type,
                          ref_id=ref_id)
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    db.session.add(entry)
    db.session.flush()
    return entry


def entries_for_customer(customer_id: int, before: tuple[datetime, int] | None = None,
                         limit: int = 50) -> list[TimelineEntry]:
    """Newest first; `before` = (occurred_at, id) of the last entry shown (keyset paging)."""
    query = sa.select(TimelineEntry).where(TimelineEntry.customer_id == customer_id)
    if before is not None:
        query = query.where(sa.tuple_(TimelineEntry.occurred_at, TimelineEntry.id)
                            < sa.tuple_(*before))
    query = query.order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc()).limit(limit)
    return list(db.session.scalars(query))
