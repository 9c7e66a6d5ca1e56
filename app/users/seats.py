"""How many more users the tenant may invite: the plan's seat limit (billing) minus seats in use."""
from billing import limits
from billing.usage import current


def seats_used() -> int:
    """Active users plus open invitations (app/usage.py): an invitation holds a seat until it is
    accepted or revoked."""
    return current("seats")


def seats_available() -> int | None:
    """Seats left for invitations; None means unlimited (no plan, or a plan without a cap)."""
    limit = limits.limit_of("seats")
    if limit is None:
        return None
    return max(limit - seats_used(), 0)


def check_seat() -> None:
    """Raise billing.limits.LimitReached when no seat is left for one more user (serialized per
    tenant until the transaction ends, so concurrent invitations cannot share the last seat)."""
    limits.check("seats", 1)


def check_invitation_seat() -> None:
    """An invitation being accepted already holds one seat: it may become a user only while active
    users and open invitations (itself included) fit, e.g. not after the limit was lowered."""
    limits.check("seats", 1, already_counted=1)
