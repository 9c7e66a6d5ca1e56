"""Plan changes: upgrade or downgrade with proration, refused when usage exceeds the target.

Proration (Decimal, to the cent): the unused share of the current period is
credited at the old price and charged at the new one, extra seats included at
each plan's seat price (they carry over; a plan without a user limit drops
them). A positive difference is invoiced now; a negative one becomes credit
for the next invoice. During the trial the plan simply changes.

That is how the manual gateway bills a change (`prorate_locally`). A
subscription linked to Stripe has its Stripe items moved to the new prices
instead, and Stripe prorates (billing/gateways/stripe_gateway.py).
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l

from app.extensions import db
from billing import invoices
from billing.clock import now
from billing.gateways import gateway_for
from billing.models import INTERVALS, Plan, Subscription
from billing.periods import add_period, cents, unused_share
from billing.plans import limits_of, price_of, seat_price_of
from billing.states import record_change
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


def seats_after(plan: Plan, extra_seats: int) -> int:
    """Extra seats carry over to a plan with a user limit; an unlimited plan needs none."""
    return 0 if plan.seat_limit is None else extra_seats


def period_amount(plan: Plan, currency: str, interval: str, extra_seats: int) -> Decimal:
    """The plan's price for one period, with its extra seats."""
    amount = price_of(plan, currency, interval)
    if extra_seats:
        amount += (seat_price_of(plan, currency, interval) or Decimal("0")) * extra_seats
    return amount


def proration(subscription: Subscription, plan: Plan, interval: str, at=None) -> Proration:
    at = at or now()
    if subscription.status == "trialing" or not subscription.current_period_end:
        return Proration(Decimal("0.00"), Decimal("0.00"))
    share = unused_share(subscription.current_period_start, subscription.current_period_end, at)
    currency, extra = subscription.currency, subscription.extra_seats
    credit = cents(period_amount(subscription.plan, currency, subscription.interval, extra) * share)
    new = period_amount(plan, currency, interval, seats_after(plan, extra))
    charge = cents(new * share) if interval == subscription.interval else cents(new)
    return Proration(credit, charge)


def change_plan(subscription: Subscription, tenant, plan: Plan, interval: str, *, actor: str = "tenant"):
    """Switch plan/interval; returns the proration invoice if one was issued.

    Raises PlanChangeRefused, or GatewayUnavailable when Stripe cannot be reached
    (then nothing changed here or in Stripe).
    """
    if subscription.status not in ("trialing", "active"):
        raise PlanChangeRefused(_("The plan can be changed while the subscription is on trial or active."))
    if interval not in INTERVALS or plan.is_trial or not plan.active:
        raise PlanChangeRefused(_("Please choose one of the plans offered."))
    if plan.price(subscription.currency, interval) is None:
        raise PlanChangeRefused(_("This plan has no price in %(currency)s.", currency=subscription.currency))
    if plan.id == subscription.plan_id and interval == subscription.interval:
        raise PlanChangeRefused(_("You are already on this plan."))
    extra = seats_after(plan, subscription.extra_seats)
    if extra and seat_price_of(plan, subscription.currency, interval) is None:
        raise PlanChangeRefused(_("The %(plan)s plan offers no extra users in %(currency)s. "
                                  "Set your extra users to 0 first.", plan=plan.name,
                                  currency=subscription.currency))
    too_much = over_limits(usage_of(tenant), limits_of(plan, extra))
    if too_much:
        names = ", ".join(str(METRIC_NAMES[m]) for m in too_much)
        raise PlanChangeRefused(_("Your current usage is above the %(plan)s plan's limits (%(what)s). "
                                  "Reduce it first, then downgrade.", plan=plan.name, what=names))
    old_key, old_interval = subscription.plan.key, subscription.interval
    invoice, note = gateway_for(subscription).change_plan(subscription, plan, interval)
    if interval != subscription.interval and subscription.status == "active":
        # A new interval starts a new period now (Stripe resets the billing cycle the same way).
        subscription.current_period_start = now()
        subscription.current_period_end = add_period(subscription.current_period_start, interval)
    subscription.plan, subscription.interval, subscription.extra_seats = plan, interval, extra
    record_change(subscription, actor=actor,
                  reason=f"plan {old_key}/{old_interval} → {plan.key}/{interval}; {note}")
    db.session.flush()
    return invoice


def prorate_locally(subscription: Subscription, plan: Plan, interval: str):
    """The manual gateway's plan change: a net charge is invoiced now, a net credit kept for later."""
    result = proration(subscription, plan, interval)
    if result.net > 0:
        lines = [(f"Unused time on {subscription.plan.name}", 1, -result.credit),
                 (f"Remaining time on {plan.name}", 1, result.charge)]
        invoice = invoices.issue(invoices.draft(subscription, lines, apply_credit=False))
        return invoice, f"invoice {invoice.number}"
    if result.net < 0:
        subscription.credit_balance += -result.net
    return None, f"credit {-result.net}"
