"""Plan limits, checked where they bite: the CRM asks here before it adds users, records or files.

Billing knows no CRM module: app/usage.py registers the counters these checks
read, and the CRM's services call check() or storage_allows() before they write.
A tenant without a subscription (the demo, a tenant made on the command line
without one) has no limits.
"""
from flask_babel import gettext as _

from billing import subscriptions
from billing.plans import Limits
from billing.usage import MB, current
from tenants.context import require_tenant

# metric → the Limits field that caps it
FIELDS = {"seats": "seats", "records": "records", "storage_bytes": "storage_mb"}


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


def current_limits() -> Limits | None:
    """The current tenant's limits now (the Trial plan's during a trial, plus extra seats); None: no plan."""
    subscription = subscriptions.for_tenant(require_tenant().id)
    if subscription is None:
        return None
    return subscriptions.limits_now(subscription)


def limit_of(metric: str) -> int | None:
    """The current tenant's cap on metric (storage in bytes); None means unlimited."""
    limits = current_limits()
    value = None if limits is None else getattr(limits, FIELDS[metric])
    if value is not None and metric == "storage_bytes":
        return value * MB
    return value


def check(metric: str, wanted: int, used: int | None = None) -> None:
    """Raise LimitReached unless `wanted` more of metric fit (used: the caller's own count)."""
    limit = limit_of(metric)
    if limit is None or wanted <= 0:
        return
    used = current(metric) if used is None else used
    if used + wanted > limit:
        raise LimitReached(metric, limit, used, wanted)


def storage_allows(extra_bytes: int) -> bool:
    """Whether extra_bytes more fit in the plan's file storage (for uploads: logos, attachments)."""
    try:
        check("storage_bytes", extra_bytes)
    except LimitReached:
        return False
    return True
