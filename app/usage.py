"""Registers this application's usage counters with billing (billing imports no CRM module)."""
import sqlalchemy as sa

from app.extensions import db
from billing.usage import register_counter


def active_users() -> int:
    from app.auth.models import User

    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active))


def register() -> None:
    register_counter("seats", "auth.active_users", active_users)


class LimitReached(ValueError):
    """The plan's limit would be exceeded; the message says so and links to an upgrade."""


def check_storage(extra_bytes: int) -> None:
    """Refuse a file that would take the tenant past its plan's storage."""
    from flask_babel import lazy_gettext as _l

    from app import storage
    from billing.plans import limits_of
    from billing.subscriptions import effective_plan, for_tenant
    from tenants.context import require_tenant

    subscription = for_tenant(require_tenant().id)
    if subscription is None:
        return
    limit_mb = limits_of(effective_plan(subscription)).storage_mb
    if limit_mb is not None and storage.used_bytes() + extra_bytes > limit_mb * 1024 * 1024:
        raise LimitReached(_l("Your plan's file storage (%(mb)s MB) is full. Upgrade your plan "
                              "or remove files to upload more.", mb=limit_mb))
