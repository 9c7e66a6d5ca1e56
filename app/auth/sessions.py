"""Server-side sessions of tenant users: every log-in is a user_sessions row.

The Flask-Login id is "t:<tenant>:<user>:<version>:<key>" (app/login.py); a
session loads only while its row exists. Log-out deletes the row, so a copied
session cookie or remember-me cookie is dead from then on; the profile lists a
user's sessions and ends any of them. A session unused for REMEMBER_DAYS ends too,
whatever its cookie says.
"""
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app, request
from flask_login import login_user

from app.auth.models import User, UserSession
from app.extensions import db

# last_seen_at is written at most this often, not on every request.
SEEN_EVERY = timedelta(minutes=5)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def start(user: User, remember: bool = False) -> UserSession:
    """Log user in on this browser: a new session row, then Flask-Login's cookie naming it."""
    idle = timedelta(days=current_app.config["REMEMBER_DAYS"])
    db.session.execute(sa.delete(UserSession).where(  # the user's sessions gone stale
        UserSession.user_id == user.id, UserSession.last_seen_at < _now() - idle))
    # Written from the app's clock, as it is compared with the app's clock in find().
    row = UserSession(user_id=user.id, key=secrets.token_hex(32), remember=bool(remember),
                      last_seen_at=_now(),
                      ip=(request.remote_addr or "")[:64] or None,
                      user_agent=(request.user_agent.string or "")[:200] or None)
    db.session.add(row)
    db.session.flush()
    user.session_key = row.key
    login_user(user, remember=remember)
    return row


def find(user_id: int, key: str) -> UserSession | None:
    """The live session row of user_id with key (None: ended or gone stale)."""
    row = db.session.scalars(sa.select(UserSession).where(
        UserSession.key == key, UserSession.user_id == user_id)).first()
    if row is None:
        return None
    idle = timedelta(days=current_app.config["REMEMBER_DAYS"])
    if row.last_seen_at < _now() - idle:
        return None
    if row.last_seen_at < _now() - SEEN_EVERY:
        row.last_seen_at = _now()
    return row


def of_user(user: User) -> list[UserSession]:
    return list(db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)
                                   .order_by(UserSession.last_seen_at.desc())))


def end(user: User, session_id: int | None = None, keep_key: str | None = None) -> int:
    """End one of user's sessions (session_id), or all but the one with keep_key; the count."""
    query = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if session_id is not None:
        query = query.where(UserSession.id == session_id)
    if keep_key is not None:
        query = query.where(UserSession.key != keep_key)
    return db.session.execute(query).rowcount


def end_current(user: User) -> None:
    key = getattr(user, "session_key", None)
    if key:
        db.session.execute(sa.delete(UserSession).where(UserSession.key == key))
