"""How many more users the tenant may invite: the plan's seat limit (billing) minus seats in use."""
import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.users.models import Invitation
from billing import limits


def seats_used() -> int:
    """Active users plus open invitations: an invitation holds a seat until it is revoked."""
    users = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active))
    pending = db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.status == "pending"))
    return users + pending


def seats_available() -> int | None:
    """Seats left for invitations; None means unlimited (no plan, or a plan without a cap)."""
    limit = limits.limit_of("seats")
    if limit is None:
        return None
    return max(limit - seats_used(), 0)


def check_seat() -> None:
    """Raise billing.limits.LimitReached when no seat is left for one more user."""
    limits.check("seats", 1, used=seats_used())
