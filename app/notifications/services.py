"""The notifications centre: writing notifications, reading them in the reader's language,
marking them read. Flush, never commit: a notification is kept only if the change that
caused it is."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import g, has_request_context, url_for
from flask_babel import gettext

from app.access.visibility import visible_to
from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.preferences import choices_of
from app.pagination import keyset_page
from app.records import find_record, is_record_type, record_type, record_url

PAGE_SIZE = 50
# Where a notification about no record leads: the page where the user acts on it.
PAGES = {"approval_waiting": "workspace.approvals.index", "announcement": "workspace.myday.home"}


def notify(user_ids, event, message, params, *, subject=None, actor_id=None) -> None:
    """Tell each active user (never the actor, each once) who may see the subject, in the
    app and/or by e-mail as they chose for this event."""
    from app.notifications import EVENTS
    from app.notifications.mailing import mail_notification

    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    if subject is not None and not is_record_type(subject[0]):
        raise ValueError(f"unknown record type {subject[0]!r}")
    params = {key: _storable(value) for key, value in (params or {}).items()}
    wanted = {int(user_id) for user_id in user_ids if user_id is not None} - {actor_id}
    if not wanted:
        return
    users = db.session.scalars(sa.select(User).where(User.id.in_(wanted), User.active)).all()
    choices = choices_of([user.id for user in users], event)
    for user in users:
        choice = choices[user.id]
        if not (choice.in_app or choice.email):
            continue
        if subject is not None and find_record(subject[0], subject[1], user) is None:
            continue  # a notification never reveals a record its reader may not see
        if choice.in_app:
            db.session.add(Notification(
                user_id=user.id, event=event, msgid=message, params=params,
                subject_type=subject[0] if subject else None,
                subject_id=subject[1] if subject else None, actor_id=actor_id))
        if choice.email:
            mail_notification(user, event, message, params, subject)
    db.session.flush()


def _storable(value):
    """JSON keeps str, numbers, booleans and None; anything else (a lazy string, a date)
    is stored as its text now."""
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def render(msgid: str, params: dict) -> str:
    """The message in the current language; a translation whose placeholders do not fit
    falls back to the English text rather than failing the page."""
    if not params:
        return gettext(msgid)
    try:
        return gettext(msgid) % params
    except (KeyError, ValueError, TypeError):
        try:
            return msgid % params
        except (KeyError, ValueError, TypeError):
            return msgid


@dataclass(frozen=True)
class Shown:
    """A notification as its reader sees it."""
    id: int
    event: str
    text: str
    url: str | None
    created_at: datetime
    unread: bool


def unread_count(user) -> int:
    """One indexed count, kept for the rest of the request (the navigation asks on every page)."""
    cache = g.setdefault("unread_notifications", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = db.session.scalar(sa.select(sa.func.count()).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)))
    return cache[user.id]


def page_for(user, before: int | None, size: int = PAGE_SIZE):
    """One page of the user's notifications, newest first, those about hidden records left out
    (and marked read, so the unread count does not count what can never be shown)."""
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    page = keyset_page(db.session, stmt, Notification.id, before, size)
    return [shown(n) for n in _visible(user, page.items)], page.next_cursor


def recent_for(user, limit: int = 5) -> list[Shown]:
    """The newest few for "My day" (one query, plus one per kind of record they name)."""
    rows = db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(limit)).all()
    return [shown(n) for n in _visible(user, rows)]


def shown(notification: Notification) -> Shown:
    url = None
    if notification.subject_type and is_record_type(notification.subject_type):
        url = record_url(notification.subject_type, notification.subject_id)
    elif notification.event in PAGES:
        url = url_for(PAGES[notification.event])
    return Shown(notification.id, notification.event,
                 render(notification.msgid, notification.params), url,
                 notification.created_at, notification.read_at is None)


def _visible(user, rows: list[Notification]) -> list[Notification]:
    """rows without those whose record is gone or hidden from user: one query per record type."""
    by_type: dict[str, set[int]] = {}
    for row in rows:
        if row.subject_type is not None:
            by_type.setdefault(row.subject_type, set()).add(row.subject_id)
    seen = {(key, record_id) for key, ids in by_type.items() for record_id in _visible_ids(user, key, ids)}
    hidden = [row for row in rows if row.subject_type is not None
              and (row.subject_type, row.subject_id) not in seen]
    for row in hidden:
        if row.read_at is None:
            row.read_at = sa.func.now()
    return [row for row in rows if row not in hidden]


def _visible_ids(user, key: str, ids: set[int]) -> list[int]:
    if not is_record_type(key):
        return []
    model = record_type(key).model
    if not (hasattr(model, "owner_id") and hasattr(model, "unit_id")):
        return [i for i in ids if find_record(key, i, user) is not None]
    live = [model.deleted_at.is_(None)] if hasattr(model, "deleted_at") else []
    return list(db.session.scalars(sa.select(model.id).where(
        model.id.in_(ids), visible_to(user, model), *live)))


def mark_read(user, notification_id: int) -> Notification | None:
    """The user's own notification, now read; None for anybody else's (the view 404s)."""
    notification = db.session.scalar(sa.select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id))
    if notification is not None and notification.read_at is None:
        notification.read_at = sa.func.now()
        db.session.flush()
    return notification


def mark_all_read(user) -> int:
    result = db.session.execute(sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=sa.func.now()))
    return result.rowcount
