"""Plan changes: upgrade or downgrade with proration, refused when usage exceeds the target.

Proration (Decimal, to the cent): the unused share of the current period is
credited at the old price and charged at the new one. A positive difference
is invoiced now; a negative one becomes credit for the next invoice. During
the trial the plan simply changes.
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l

from app.extensions import db
from billing import invoices
from billing.clock import now
from billing.models import INTERVALS, Plan, Subscription
from billing.periods import cents, unused_share
from billing.plans import limits_of, price_of
from billing.usage import over_limits, usage_of

METRIC_NAMES = {"seats": _l("users"), "records": _l("records"), "storage_mb": _l("file storage")}


class PlanChangeRefused(ValueError):
    pass


@dataclass
class Proration:
    credit: Decimal
    charge: Decimal

    @property
    def net(self) -> Decimal:
        return self.charge - self.credit


def proration(subscription: Subscription, plan: Plan, interval: str, at=None) -> Proration:
    at = at or now()
    if subscription.status == "trialing" or not subscription.current_period_end:
        return Proration(Decimal("0.00"), Decimal("0.00"))
    share = unused_share(subscription.current_period_start, subscription.current_period_end, at)
    old = price_of(subscription.plan, subscription.currency, subscription.interval)
    credit = cents(old * share)
    new = price_of(plan, subscription.currency, interval)
    charge = cents(new * share) if interval == subscription.interval else cents(new)
    return Proration(credit, charge)


def change_plan(subscription: Subscription, tenant, plan: Plan, interval: str):
    """Switch plan/interval; returns the proration invoice if one was issued."""
    if subscription.status not in ("trialing", "active"):
        raise PlanChangeRefused(_("The plan can be changed while the subscription is on trial or active."))
    if interval not in INTERVALS or plan.is_trial or not plan.active:
        raise PlanChangeRefused(_("Please choose one of the plans offered."))
    if plan.price(subscription.currency, interval) is None:
        raise PlanChangeRefused(_("This plan has no price in %(currency)s.", currency=subscription.currency))
    if plan.id == subscription.plan_id and interval == subscription.interval:
        raise PlanChangeRefused(_("You are already on this plan."))
    too_much = over_limits(usage_of(tenant), limits_of(plan))
    if too_much:
        names = ", ".join(str(METRIC_NAMES[m]) for m in too_much)
        raise PlanChangeRefused(_("Your current usage is above the %(plan)s plan's limits (%(what)s). "
                                  "Reduce it first, then downgrade.", plan=plan.name, what=names))
    result = proration(subscription, plan, interval)
    invoice = None
    old_name = subscription.plan.name
    if result.net > 0:
        lines = [(f"Unused time on {old_name}", 1, -result.credit),
                 (f"Remaining time on {plan.name}", 1, result.charge)]
        invoice = invoices.issue(invoices.draft(subscription, lines, apply_credit=False))
    elif result.net < 0:
        subscription.credit_balance += -result.net
    if interval != subscription.interval and subscription.status == "active":
        from billing.periods import add_period
        subscription.current_period_start = now()
        subscription.current_period_end = add_period(subscription.current_period_start, interval)
    subscription.plan, subscription.interval = plan, interval
    db.session.flush()
    return invoice
