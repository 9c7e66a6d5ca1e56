"""Registers this application's usage counters with billing (billing imports no CRM module).

Each counter runs inside the tenant's scope. Seats are active users and open
invitations; records are live (not deleted) customers and contacts; storage is every file under the tenant's upload folder.
"""
import sqlalchemy as sa

from app.extensions import db
from billing.usage import register_counter


def active_users() -> int:
    from app.auth.models import User

    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active))


def open_invitations() -> int:
    """An invitation holds its seat until it is accepted or revoked: two open invitations
    for the last seat would otherwise both become users."""
    from app.users.models import Invitation

    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(Invitation.status == "pending"))


def live_customers() -> int:
    from app.customers.models import Customer

    return _live(Customer)


def live_contacts() -> int:
    from app.contacts.models import Contact

    return _live(Contact)


def _live(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.deleted_at.is_(None)))


def stored_bytes() -> int:
    from app import storage

    return storage.used_bytes()


def register() -> None:
    register_counter("seats", "auth.active_users", active_users)
    register_counter("seats", "users.open_invitations", open_invitations)
    register_counter("records", "customers.live", live_customers)
    register_counter("records", "contacts.live", live_contacts)
    register_counter("storage_bytes", "storage.uploads", stored_bytes)
