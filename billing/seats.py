"""Extra seats: users bought on top of the plan's seat limit, prorated like plan changes.

Each extra seat costs the plan price row's `seat_amount` per period (per plan,
currency and interval). Raising the number charges the unused share of the
current period for the added seats at once; lowering it credits the same share
for the removed seats (credit for the next invoice). On a Stripe-linked
subscription Stripe does both through the seat item's quantity. During the
trial nothing is charged: the seats are billed from the first paid period.
"""
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _

from app.extensions import db
from billing import limits
from billing.gateways import gateway_for
from billing.models import Subscription
from billing.periods import cents, unused_share
from billing.plans import seat_price_of
from billing.states import record_change
from billing.subscriptions import effective_plan
from billing.usage import usage_of
from tenants.context import tenant_scope

MAX_EXTRA_SEATS = 10000


class SeatChangeRefused(ValueError):
    """The change is not possible; str() is a message for the tenant admin."""


def parse_extra_seats(raw) -> int:
    """The form's number of extra users: a whole number from 0 to MAX_EXTRA_SEATS."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_EXTRA_SEATS:
        raise SeatChangeRefused(_("Enter the number of extra users as a whole number from 0 to %(max)d.",
                                  max=MAX_EXTRA_SEATS))
    return int(text)


def prorated_seats(seat_amount: Decimal, seats: int, start: datetime, end: datetime, at: datetime) -> Decimal:
    """What `seats` seats cost for the rest of [start, end) at `at`: per seat to the cent, times seats."""
    return cents(seat_amount * unused_share(start, end, at)) * seats


def seat_price(subscription: Subscription) -> Decimal | None:
    return seat_price_of(subscription.plan, subscription.currency, subscription.interval)


def _refusal(subscription: Subscription, tenant, new: int) -> str | None:
    """Why the subscription cannot have `new` extra seats, or None."""
    if subscription.status not in ("trialing", "active"):
        return _("Extra users can be changed while the subscription is on trial or active.")
    if subscription.plan.seat_limit is None:
        return _("Your plan has no user limit, so there are no extra users to buy.")
    if seat_price(subscription) is None:
        return _("The %(plan)s plan offers no extra users in %(currency)s.",
                 plan=subscription.plan.name, currency=subscription.currency)
    if new == subscription.extra_seats:
        return _("You already have %(n)d extra users.", n=new)
    plan_seats = effective_plan(subscription).seat_limit or 0
    taken = usage_of(tenant).seats  # active users and open invitations (each holds a seat)
    if new < subscription.extra_seats and taken > plan_seats + new:
        return _("%(taken)d seats are taken by active users and open invitations, more than the "
                 "%(total)d users of your plan with %(n)d extra users. Deactivate users or revoke "
                 "invitations first, then lower the extra users.",
                 taken=taken, total=plan_seats + new, n=new)
    return None


def change_extra_seats(subscription: Subscription, tenant, new: int, *, actor: str):
    """Set the extra seats; returns the invoice charging the added seats, if one was issued.

    Raises SeatChangeRefused, or GatewayUnavailable when Stripe cannot be reached
    (then nothing changed here or in Stripe).
    """
    with tenant_scope(tenant):
        limits.hold("seats")  # an invitation being made now waits, then sees the new limit
    if (refusal := _refusal(subscription, tenant, new)) is not None:
        raise SeatChangeRefused(refusal)
    old = subscription.extra_seats
    invoice, note = gateway_for(subscription).change_seats(subscription, new)
    subscription.extra_seats = new
    record_change(subscription, actor=actor, reason=f"extra users {old} → {new}; {note}")
    db.session.flush()
    return invoice
