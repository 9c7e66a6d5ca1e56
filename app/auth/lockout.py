"""Failed log-ins per account, the temporary lockout they cause, and the login_events record.

These writes must survive the request's rollback (a failed log-in answers 422),
so they run in their own short transaction on a separate session. The counter
lives in the users row, so every gunicorn worker sees the same count.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from app.auth.models import LoginEvent, User
from app.extensions import db


def _now() -> datetime:
    return datetime.now(timezone.utc)


def locked_until(user: User) -> datetime | None:
    """When the user's lockout ends, if it has not ended yet."""
    if user.locked_until is not None and user.locked_until > _now():
        return user.locked_until
    return None


def record_event(user_id: int | None, email: str, ip: str | None, success: bool,
                 reason: str) -> None:
    with Session(db.engine) as session, session.begin():
        session.execute(sa.insert(LoginEvent).values(
            user_id=user_id, email=email[:254], ip=(ip or "")[:64] or None, success=success,
            reason=reason))


def register_failure(user: User, ip: str | None, reason: str) -> datetime | None:
    """Count a failure (atomically, across workers); lock the account at the limit."""
    config = current_app.config
    with Session(db.engine) as session, session.begin():
        failures = session.execute(
            sa.update(User).where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1).returning(User.failed_logins)
        ).scalar_one()
        until = None
        if failures >= config["LOGIN_LOCKOUT_AFTER"]:
            until = _now() + timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
            session.execute(sa.update(User).where(User.id == user.id)
                            .values(failed_logins=0, locked_until=until))
        session.execute(sa.insert(LoginEvent).values(
            user_id=user.id, email=user.email, ip=(ip or "")[:64] or None, success=False,
            reason=reason))
    return until


def register_success(user: User, ip: str | None) -> None:
    """Clear the failure count (in the request's transaction) and record the log-in."""
    user.failed_logins, user.locked_until = 0, None
    user.last_login_at = sa.func.now()
    db.session.add(LoginEvent(user_id=user.id, email=user.email, ip=(ip or "")[:64] or None,
                              success=True, reason="ok"))
    db.session.flush()
