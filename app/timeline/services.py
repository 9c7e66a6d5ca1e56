"""Adding to and reading the timeline: a record's own activity, and a customer's 360.

System entries are structured events: `event=(N_("Quote %(label)s approved"), {...})`
stores the English msgid and its parameters, and readers see it in their own language
(app/timeline/events.py). Entries typed by a user keep their text as written.
"""
from datetime import datetime

import sqlalchemy as sa

from app.access.permissions import can
from app.access.visibility import visible_to
from app.extensions import db
from app.records import is_record_type, record_type, record_types
from app.timeline.models import ENTRY_KINDS, TimelineEntry

PAGE_SIZE = 50


def add_entry(*, customer_id: int | None = None, kind: str, title: str | None = None,
              body: str | None = None, contact_id: int | None = None,
              user_id: int | None = None, ref_type: str | None = None,
              ref_id: int | None = None, occurred_at: datetime | None = None,
              subject: tuple[str, int] | None = None,
              event: tuple[str, dict] | None = None, quiet: bool = False) -> TimelineEntry:
    """One entry on `subject`'s activity (default: the ref record, else the contact, else the customer).

    The customer is the subject's own (record_type(key).customer_id) unless given, so the
    customer's 360 shows it. Followers of the subject are told (not the actor) unless
    quiet (a comment tells them itself, after its mentions)."""
    if kind not in ENTRY_KINDS:
        raise ValueError(f"unknown timeline entry kind {kind!r}")
    stored_event = None
    if event is not None:
        msgid, params = event
        params = {name: value if isinstance(value, (int, float)) or value is None
                  else str(value) for name, value in (params or {}).items()}
        stored_event = {"msgid": msgid, "params": params}
        title = msgid % params  # the English text: exports, search and a fallback
    if title is None:
        raise ValueError("a timeline entry needs a title or an event")
    if subject is None:
        # As the migration gave old entries their subject: the record the entry stands for,
        # else its contact, else its customer.
        if ref_type is not None and ref_id is not None and is_record_type(ref_type):
            subject = (ref_type, ref_id)
        elif contact_id is not None:
            subject = ("contact", contact_id)
        elif customer_id is not None:
            subject = ("customer", customer_id)
    if subject is not None and customer_id is None:
        customer_id = customer_of(subject)
    if subject is not None and subject[0] == "contact" and contact_id is None:
        contact_id = subject[1]
    entry = TimelineEntry(customer_id=customer_id, contact_id=contact_id, kind=kind,
                          title=title[:200], body=body, user_id=user_id, ref_type=ref_type,
                          ref_id=ref_id, event=stored_event,
                          subject_type=subject[0] if subject else None,
                          subject_id=subject[1] if subject else None)
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    db.session.add(entry)
    db.session.flush()
    if subject is not None and not quiet:
        from app.timeline.following import tell_followers

        tell_followers(entry)
    return entry


def customer_of(subject: tuple[str, int]) -> int | None:
    """The customer whose 360 shows this record's activity."""
    key, record_id = subject
    if not is_record_type(key):
        raise ValueError(f"unknown record type {key!r}")
    kind = record_type(key)
    record = db.session.get(kind.model, record_id)
    return kind.customer_id(record) if record is not None else None


def _page(query, before: tuple[datetime, int] | None, limit: int) -> list[TimelineEntry]:
    """Newest first; `before` = (occurred_at, id) of the last entry shown (keyset paging)."""
    if before is not None:
        query = query.where(sa.tuple_(TimelineEntry.occurred_at, TimelineEntry.id)
                            < sa.tuple_(*before))
    query = query.order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def entries_for_subject(subject_type: str, subject_id: int,
                        before: tuple[datetime, int] | None = None,
                        limit: int = PAGE_SIZE, related_ids=()) -> list[TimelineEntry]:
    """One record's own activity (its page has already checked that the reader may see it);
    related_ids: records of the same type shown with it (a quote's other versions)."""
    ids = {subject_id, *related_ids}
    return _page(sa.select(TimelineEntry).where(TimelineEntry.subject_type == subject_type,
                                                TimelineEntry.subject_id.in_(ids)),
                 before, limit)


def entries_for_customer(customer_id: int, before: tuple[datetime, int] | None = None,
                         limit: int = PAGE_SIZE, viewer=None) -> list[TimelineEntry]:
    """The customer's 360: its own entries and those of every record beneath it.

    With a viewer, the entries of records the viewer may not see (another rep's deal, a
    module their role does not open, a deleted contact) are left out, in the query, so
    neither their text nor their existence shows and keyset pages stay full."""
    query = sa.select(TimelineEntry).where(TimelineEntry.customer_id == customer_id)
    if viewer is not None:
        # The customer's own entries first: the page has checked the viewer sees it.
        query = query.where(sa.or_(
            sa.and_(TimelineEntry.subject_type == "customer",
                    TimelineEntry.subject_id == customer_id),
            subjects_visible_to(viewer)))
    return _page(query, before, limit)


def subjects_visible_to(viewer) -> sa.ColumnElement[bool]:
    """Entries whose subject the viewer may open: its module's view right, and the record
    live and visible to them (app.access.visibility, which honours what it honours).

    One primary-key lookup per entry read (a correlated EXISTS), never a list of every
    record the viewer may see: an owner sees 100,000 customers."""
    allowed = [TimelineEntry.subject_type.is_(None)]
    for kind in record_types():
        if not can(viewer, kind.module, "view"):
            continue
        model = kind.model
        live = [model.deleted_at.is_(None)] if hasattr(model, "deleted_at") else []
        visible = sa.exists().where(model.id == TimelineEntry.subject_id,
                                    visible_to(viewer, model), *live)
        allowed.append(sa.and_(TimelineEntry.subject_type == kind.key, visible))
    return sa.or_(*allowed)


def parse_cursor(before: str | None) -> tuple[datetime, int] | None:
    """The "older entries" link's `before=<iso time>,<id>`; anything else: the first page."""
    if not before or "," not in before:
        return None
    stamp, _sep, entry_id = before.partition(",")
    try:
        return datetime.fromisoformat(stamp), int(entry_id)
    except ValueError:
        return None


def move_subject(subject_type: str, from_id: int, to_id: int) -> None:
    """A merged record's activity and followers go to the record kept."""
    from app.timeline.following import move_followers

    db.session.execute(sa.update(TimelineEntry).where(
        TimelineEntry.subject_type == subject_type, TimelineEntry.subject_id == from_id)
        .values(subject_id=to_id))
    move_followers(subject_type, from_id, to_id)
