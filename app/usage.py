"""Registers this application's usage counters with billing (billing imports no CRM module)."""
import sqlalchemy as sa

from app.extensions import db
from billing.usage import register_counter


def active_users() -> int:
    from app.auth.models import User

    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active))


def register() -> None:
    register_counter("seats", "auth.active_users", active_users)
