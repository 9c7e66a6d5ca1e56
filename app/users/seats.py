"""How many more users the tenant may invite: the one place billing plugs its plan limit into.

Until billing provides the plan's seat count, the limit is the optional
SEAT_LIMIT setting (unset: unlimited).
"""
import sqlalchemy as sa
from flask import current_app

from app.auth.models import User
from app.extensions import db
from app.users.models import Invitation


def seat_limit() -> int | None:
    return current_app.config.get("SEAT_LIMIT")


def seats_used() -> int:
    """Active users plus open invitations: an invitation holds a seat until it is revoked."""
    users = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active))
    pending = db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.status == "pending"))
    return users + pending


def seats_available() -> int | None:
    """Seats left for invitations; None means unlimited."""
    limit = seat_limit()
    if limit is None:
        return None
    return max(limit - seats_used(), 0)
