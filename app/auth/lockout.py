"""The login_events record of every log-in attempt, failed or successful.

Failed attempts must survive the request's rollback (a failed log-in answers
422), so they are written in their own short transaction on a separate session.
Slowing down guessing is app/auth/throttle.py's job; no account is ever locked.
"""
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import LoginEvent, User
from app.extensions import db


def record_event(user_id: int | None, email: str, ip: str | None, success: bool,
                 reason: str) -> None:
    with Session(db.engine) as session, session.begin():
        session.execute(sa.insert(LoginEvent).values(
            user_id=user_id, email=email[:254], ip=(ip or "")[:64] or None, success=success,
            reason=reason))


def register_success(user: User, ip: str | None) -> None:
    """Record the log-in (in the request's transaction)."""
    user.last_login_at = sa.func.now()
    db.session.add(LoginEvent(user_id=user.id, email=user.email, ip=(ip or "")[:64] or None,
                              success=True, reason="ok"))
    db.session.flush()
