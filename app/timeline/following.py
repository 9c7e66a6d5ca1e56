"""Following a record: its followers are told of its new comments and activity.

A record's owner follows it from the moment it is created or given to them, and so does
the user who created it (the flush hook below); commenting on a record follows it too.
A follower who can no longer see the record is not told: a notification never
reveals a record.
"""
import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.access.permissions import can
from app.extensions import db
from app.i18n import N_
from app.records import find_record, is_record_type, record_title, record_type, record_types
from app.timeline.models import Follower
from tenants.context import current_tenant, tenant_scope


def may_see(user, subject_type: str, subject_id: int) -> bool:
    """Whether this user may open the record: an active user whose role opens its module and
    who sees the live record (app.access.visibility)."""
    if user is None or not getattr(user, "active", False) or not is_record_type(subject_type):
        return False
    if not can(user, record_type(subject_type).module, "view"):
        return False
    return find_record(subject_type, subject_id, user) is not None


def follow(subject_type: str, subject_id: int, user_id: int) -> None:
    """Idempotent: a double click or two tabs leave one row."""
    db.session.execute(insert(Follower).values(
        subject_type=subject_type, subject_id=subject_id, user_id=user_id)
        .on_conflict_do_nothing())


def unfollow(subject_type: str, subject_id: int, user_id: int) -> None:
    db.session.execute(sa.delete(Follower).where(
        Follower.subject_type == subject_type, Follower.subject_id == subject_id,
        Follower.user_id == user_id))


def is_following(subject_type: str, subject_id: int, user_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(
        Follower.subject_type == subject_type, Follower.subject_id == subject_id,
        Follower.user_id == user_id)))


def followers_of(subject_type: str, subject_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(Follower.user_id).where(
        Follower.subject_type == subject_type, Follower.subject_id == subject_id)
        .order_by(Follower.user_id)))


def move_followers(subject_type: str, from_id: int, to_id: int) -> None:
    """Followers of a merged duplicate follow the record kept (once each)."""
    for user_id in followers_of(subject_type, from_id):
        follow(subject_type, to_id, user_id)
    db.session.execute(sa.delete(Follower).where(
        Follower.subject_type == subject_type, Follower.subject_id == from_id))


def users_who_may_see(user_ids, subject_type: str, subject_id: int) -> list:
    from app.auth.models import User

    if not user_ids:
        return []
    users = db.session.scalars(sa.select(User).where(User.id.in_(list(user_ids)),
                                                     User.active)).all()
    return [user for user in users if may_see(user, subject_type, subject_id)]


_LATER = "kehu_tell_followers_at_commit"


def tell_followers(entry, skip=()) -> None:
    """notify(..., "followed") every follower of the entry's subject who may see it, but not
    the one who caused it (nor those in skip: the mentioned are told once, as mentioned).

    They are told when the transaction commits, once per record however many entries the
    change made, and not those the same change told otherwise (app.notifications.told)."""
    if not is_record_type(entry.subject_type):
        return
    db.session().info.setdefault(_LATER, []).append(
        (current_tenant(), entry.subject_type, entry.subject_id, entry.user_id, entry.kind,
         frozenset(skip)))


@event.listens_for(Session, "before_commit")
def _tell_followers_at_commit(session):
    from app.notifications.told import told_about

    pending, done = session.info.pop(_LATER, []), set()
    for tenant, key, record_id, actor_id, kind, skip in pending:
        if (tenant, key, record_id) in done:
            continue
        done.add((tenant, key, record_id))
        skip = set(skip) | told_about(session, (key, record_id))
        if current_tenant() == tenant:
            _tell(key, record_id, actor_id, kind, skip)
        else:  # committed after leaving the tenant's scope (the demo is built so)
            with tenant_scope(tenant, session):
                _tell(key, record_id, actor_id, kind, skip)


@event.listens_for(Session, "after_soft_rollback")
def _forget_followers(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_LATER, None)


def _tell(key: str, record_id: int, actor_id: int | None, kind: str, skip: set) -> None:
    from app.auth.models import User
    from app.notifications import notify

    wanted = set(followers_of(key, record_id)) - {actor_id} - skip
    recipients = users_who_may_see(wanted, key, record_id)
    if not recipients:
        return
    record = db.session.get(record_type(key).model, record_id)
    title = record_title(key, record) if record is not None else ""
    actor = db.session.get(User, actor_id) if actor_id else None
    if kind == "comment":
        message = N_("%(actor)s commented on %(record)s")
    else:
        message = N_("New activity on %(record)s")
    notify([user.id for user in recipients], "followed", message,
           {"actor": actor.name if actor else "", "record": title},
           subject=(key, record_id), actor_id=actor_id)


def _creator_id() -> int | None:
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


@event.listens_for(Session, "after_flush")
def _owners_follow(session, _flush_context):
    """A new record's owner and creator, and a record's new owner, follow it."""
    models = {kind.model: kind.key for kind in record_types()}
    if not models:
        return
    rows = []
    for obj in list(session.new) + list(session.dirty):
        key = models.get(type(obj))
        if key is None or getattr(obj, "id", None) is None:
            continue
        owner_id = getattr(obj, "owner_id", None)
        if obj in session.new:
            for user_id in {owner_id, _creator_id()} - {None}:
                rows.append({"subject_type": key, "subject_id": obj.id, "user_id": user_id})
        elif owner_id is not None and inspect(obj).attrs.owner_id.history.has_changes():
            rows.append({"subject_type": key, "subject_id": obj.id, "user_id": owner_id})
    if rows:
        session.connection().execute(
            insert(Follower.__table__).on_conflict_do_nothing(), rows)
