"""What a record page's activity panel (templates/timeline/_activity.html) shows."""
import sqlalchemy as sa
from flask import request
from flask_login import current_user

from app.extensions import db
from app.records import record_title, record_type, record_url
from app.timeline.comments import MAX_LENGTH, may_delete
from app.timeline.following import is_following
from app.timeline.services import (PAGE_SIZE, entries_for_customer, entries_for_subject,
                                   parse_cursor)


def activity_for(subject_type: str, subject_id: int, related_ids=()) -> dict:
    """The page's activity, newest first, `PAGE_SIZE` at a time (?before=… for older ones).

    A customer's activity is its 360: its own entries and those of every record beneath it
    that the reader may see. The page has already checked that the reader sees the record
    (and the related_ids shown with it: a quote's other versions, which share its rights)."""
    cursor = parse_cursor(request.args.get("before"))
    if subject_type == "customer":
        entries = entries_for_customer(subject_id, before=cursor, viewer=current_user)
    else:
        entries = entries_for_subject(subject_type, subject_id, before=cursor,
                                      related_ids=related_ids)
    more = None
    if len(entries) == PAGE_SIZE:
        last = entries[-1]
        more = f"{last.occurred_at.isoformat()},{last.id}"
    return {
        "subject_type": subject_type, "subject_id": subject_id, "entries": entries,
        "more": more, "authors": _names({e.user_id for e in entries} - {None}),
        "others": _other_subjects(entries, subject_type, subject_id),
        "following": is_following(subject_type, subject_id, current_user.id),
        "deletable": {e.id for e in entries if may_delete(e, current_user)},
        "max_length": MAX_LENGTH,
    }


def _names(user_ids) -> dict[int, str]:
    from app.auth.models import User

    if not user_ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).all())


def _other_subjects(entries, subject_type, subject_id) -> dict:
    """(type, id) → (label, title, url) of the records beneath a customer that entries are
    about (already filtered to those the reader may see): one query per record type."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        key = (entry.subject_type, entry.subject_id)
        if entry.subject_type is not None and key != (subject_type, subject_id):
            wanted.setdefault(entry.subject_type, set()).add(entry.subject_id)
    found = {}
    for key, ids in wanted.items():
        kind = record_type(key)
        for record in db.session.scalars(sa.select(kind.model).where(kind.model.id.in_(ids))):
            found[(key, record.id)] = (kind.label, record_title(key, record),
                                       record_url(key, record.id))
    return found
