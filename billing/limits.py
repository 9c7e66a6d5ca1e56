"""Plan limits, checked where they bite: the CRM asks here before it adds users, records or files.

Billing knows no CRM module: app/usage.py registers the counters these checks
read, and the CRM's services call check() or storage_allows() before they write.
A tenant without a subscription (one made on the command line without one) has
no limits. Each check is serialized per tenant and metric (hold()), so requests
that arrive together cannot share the last free unit.
"""
import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from billing import subscriptions
from billing.plans import Limits
from billing.usage import MB, current
from tenants.context import require_tenant

# metric → the Limits field that caps it
FIELDS = {"seats": "seats", "records": "records", "storage_bytes": "storage_mb"}
# metric → the first key of its per-tenant advisory lock (the second is the tenant id). The
# two-key lock space is separate from the one-key space, so these cannot meet other locks.
LOCK_KEYS = {"seats": 4_711_001, "records": 4_711_002, "storage_bytes": 4_711_003}


class LimitReached(Exception):
    """The plan does not allow this; str() is a message for the user (the page adds the upgrade link)."""

    def __init__(self, metric: str, limit: int, used: int, wanted: int):
        self.metric, self.limit, self.used, self.wanted = metric, limit, used, wanted
        super().__init__(f"{metric}: {used} + {wanted} > {limit}")

    def __str__(self) -> str:
        if self.metric == "seats":
            return _("All %(limit)d users of your plan are taken (open invitations count too). "
                     "Deactivate a user, revoke an invitation, buy extra users or upgrade your plan.",
                     limit=self.limit)
        if self.metric == "records":
            return _("Your plan allows %(limit)d customer and contact records and %(used)d are in use, "
                     "so %(wanted)d more do not fit. Nothing was saved. Upgrade your plan to add more.",
                     limit=self.limit, used=self.used, wanted=self.wanted)
        return _("Your plan allows %(limit)d MB of files and %(used)d MB are in use, so this file "
                 "does not fit. Nothing was saved. Upgrade your plan or remove files.",
                 limit=self.limit // MB, used=-(-self.used // MB))


def current_limits(fresh: bool = False) -> Limits | None:
    """The current tenant's limits now (the Trial plan's during a trial, plus extra seats); None: no plan.

    fresh: read the subscription again from the database, not from the session's identity map.
    """
    subscription = subscriptions.for_tenant(require_tenant().id)
    if subscription is None:
        return None
    if fresh:
        db.session.refresh(subscription)
    return subscriptions.limits_now(subscription)


def limit_of(metric: str, fresh: bool = False) -> int | None:
    """The current tenant's cap on metric (storage in bytes); None means unlimited."""
    limits = current_limits(fresh)
    value = None if limits is None else getattr(limits, FIELDS[metric])
    if value is not None and metric == "storage_bytes":
        return value * MB
    return value


def hold(metric: str) -> None:
    """Serialize check-and-write of metric in the current tenant until this transaction ends.

    Two requests that each count "one record left" and then insert would both
    pass; with the lock the second waits for the first to commit (or roll back)
    and then counts again, seeing the first one's row. What adds usage takes it (the
    checks below), and so does what lowers a limit (billing.seats, lowering extra users).
    """
    db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEYS[metric], require_tenant().id)))


def check(metric: str, wanted: int, already_counted: int = 0) -> None:
    """Raise LimitReached unless `wanted` more of metric fit.

    already_counted: how many of the wanted units usage already includes (an
    invitation being accepted already holds its seat). Unlimited tenants take no lock.
    """
    if wanted <= 0 or limit_of(metric) is None:
        return
    hold(metric)
    limit = limit_of(metric, fresh=True)  # what a seat change committed while we waited
    if limit is None:
        return
    used = current(metric) - already_counted
    if used + wanted > limit:
        raise LimitReached(metric, limit, used, wanted)


def storage_allows(extra_bytes: int) -> bool:
    """Whether extra_bytes more fit in the plan's file storage (for uploads: logos, attachments)."""
    try:
        check("storage_bytes", extra_bytes)
    except LimitReached:
        return False
    return True
