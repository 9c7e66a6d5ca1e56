"""Stripe events → local state, each event once, in any order.

* The event id is inserted into stripe_events first (ON CONFLICT DO NOTHING):
  a redelivered event finds its id and does nothing. Both happen in one
  transaction, so an event that fails is not marked and Stripe retries it.
* Subscription state from Stripe is applied only when the event is at least
  as new as the last one applied (`stripe_state_at`), and a canceled
  subscription is never brought back: a late `invoice.paid` after
  `customer.subscription.deleted` records the payment and nothing else.
* When this app changes the Stripe subscription (seats, plan) it notes the time
  (`stripe_changed_at`). A `customer.subscription.created/updated` event that
  Stripe created before then (or within CLOCK_MARGIN after) may show the state
  from before our change, so its object is not applied: the subscription is
  re-read from Stripe and that current object is applied instead (Stripe's own
  advice for events that may be stale). Newer events are applied as sent.
"""
from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.extensions import db
from billing import flags, invoices
from billing.gateways import get_gateway
from billing.invoice_models import Invoice
from billing.locks import locked
from billing.models import StripeEvent, Subscription
from billing.states import can_move, record_change, transition

# Our clock (stripe_changed_at) and Stripe's (event.created) may differ a little, so an event
# created up to this many seconds after our change is re-read too: a re-read is never wrong,
# it only costs one request to Stripe.
CLOCK_MARGIN = 60

STATUS_FROM_STRIPE = {
    "trialing": "trialing", "active": "active", "past_due": "past_due", "unpaid": "past_due",
    "canceled": "canceled", "incomplete_expired": "canceled", "paused": "suspended",
}


def record_event(event: dict) -> bool:
    """True if this event id is new (and now recorded), False for a redelivery."""
    table = StripeEvent.__table__
    inserted = db.session.execute(
        pg_insert(table).values(id=event["id"], type=event.get("type", ""),
                                created=int(event.get("created", 0)))
        .on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id))
    return inserted.first() is not None


def handle(event: dict) -> str:
    """Process one verified event: "processed", "duplicate" or "ignored"."""
    if not record_event(event):
        return "duplicate"
    handler = HANDLERS.get(event.get("type"))
    if handler is None:
        return "ignored"
    handler(event["data"]["object"], int(event.get("created", 0)), f"stripe:{event['id']}")
    return "processed"


def _subscription_for(obj: dict, actor: str) -> Subscription | None:
    """The local subscription an object is about, its row locked until the event's commit.

    Two events for one subscription are applied one after the other: the second waits here,
    then reads what the first wrote (stripe_state_at, the period, the status), so the older of
    the two can never overwrite the newer. An object about a Stripe subscription other than the
    one linked (only its metadata names ours) is flagged for provider staff and gives None:
    applying it would bill twice or cancel a paying tenant.
    """
    metadata = obj.get("metadata") or {}
    stripe_sub_id = obj.get("id") if obj.get("object") == "subscription" else obj.get("subscription")
    if not stripe_sub_id:
        parent = (obj.get("parent") or {}).get("subscription_details") or {}
        stripe_sub_id = parent.get("subscription")
        metadata = {**(parent.get("metadata") or {}), **metadata}
    if stripe_sub_id:
        found = locked(Subscription.stripe_subscription_id == stripe_sub_id)
        if found is not None:
            return found
    local_id = metadata.get("subscription_id") or obj.get("client_reference_id")
    if not (local_id and str(local_id).isdigit()):
        return None
    found = locked(Subscription.id == int(local_id))
    if found is not None and stripe_sub_id and found.stripe_subscription_id not in (None, stripe_sub_id):
        flags.flag("other_subscription", subscription_id=found.id, event_id=_event_id(actor),
                   reference=stripe_sub_id,
                   detail=f"{obj.get('object')} {obj.get('id')} is about Stripe subscription {stripe_sub_id}, "
                          f"but {found.tenant_slug} is billed by {found.stripe_subscription_id}; not applied")
        return None
    return found


def _event_id(actor: str) -> str:
    return actor.split(":", 1)[1] if actor.startswith("stripe:") else actor


def apply_subscription_object(subscription: Subscription, obj: dict, *, created: int, actor: str) -> str:
    """Bring the local subscription in line with a Stripe subscription object, unless stale."""
    if subscription.stripe_state_at and created < subscription.stripe_state_at:
        return "stale"
    subscription.stripe_state_at = created
    subscription.stripe_subscription_id = subscription.stripe_subscription_id or obj.get("id")
    subscription.stripe_customer_id = subscription.stripe_customer_id or obj.get("customer")
    subscription.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    items = (obj.get("items") or {}).get("data") or []
    _apply_seat_item(subscription, items, actor)
    if items and items[0].get("current_period_end"):
        subscription.current_period_start = _at(items[0]["current_period_start"])
        subscription.current_period_end = _at(items[0]["current_period_end"])
    target = STATUS_FROM_STRIPE.get(obj.get("status"))
    if target is None or target == subscription.status:
        return "unchanged"
    if not can_move(subscription.status, target):
        return f"refused {subscription.status} → {target}"
    transition(subscription, target, actor=actor, reason=f"Stripe says {obj.get('status')}")
    return f"now {target}"


def _apply_seat_item(subscription: Subscription, items: list[dict], actor: str) -> None:
    """Extra seats follow the seat item's quantity in Stripe (e.g. after a lost local commit)."""
    from billing.gateways.stripe_gateway import is_seat_item

    for item in items:
        if item.get("id") == subscription.stripe_seat_item_id or is_seat_item(item):
            subscription.stripe_seat_item_id = item["id"]
            quantity = int(item.get("quantity") or 0)
            if quantity != subscription.extra_seats:
                record_change(subscription, actor=actor,
                              reason=f"extra users {subscription.extra_seats} → {quantity} in Stripe")
                subscription.extra_seats = quantity


def _at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc)


def _checkout_completed(obj: dict, created: int, actor: str) -> None:
    subscription = _subscription_for(obj, actor)
    if subscription is None:
        return
    subscription.stripe_customer_id = obj.get("customer") or subscription.stripe_customer_id
    if obj.get("mode") == "subscription" and obj.get("subscription"):
        subscription.stripe_subscription_id = obj["subscription"]
        subscription.gateway = "stripe"
        if obj.get("payment_status") == "paid" and subscription.status in ("past_due", "suspended"):
            transition(subscription, "active", actor=actor, reason="paid in Stripe Checkout")
    invoice_id = (obj.get("metadata") or {}).get("invoice_id")
    if obj.get("mode") == "payment" and obj.get("payment_status") == "paid" and str(invoice_id).isdigit():
        _invoice_paid_by_card(subscription, int(invoice_id), obj, actor)
    db.session.flush()


def _invoice_paid_by_card(subscription: Subscription, invoice_id: int, obj: dict, actor: str) -> None:
    """Checkout in payment mode paid one invoice; if it was paid already (a bank transfer got
    there first, or a second tab), the money is flagged for a refund instead of dropped."""
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or invoice.subscription_id != subscription.id:
        return
    reference = str(obj.get("payment_intent") or obj.get("id"))
    if invoice.status in ("open", "uncollectible"):
        invoices.mark_paid(invoice, method="stripe", actor=actor, reference=reference)
        return
    flags.flag("paid_twice", subscription_id=subscription.id, event_id=_event_id(actor), reference=reference,
               detail=f"card payment {reference} of {obj.get('amount_total')} for invoice {invoice.number}, "
                      f"which is {invoice.status}: refund it in Stripe")


def _subscription_changed(obj: dict, created: int, actor: str) -> None:
    subscription = _subscription_for(obj, actor)
    if subscription is None:
        return
    if subscription.stripe_state_at and created < subscription.stripe_state_at:
        return  # a newer event was applied already
    if subscription.stripe_changed_at and created < subscription.stripe_changed_at + CLOCK_MARGIN:
        # Possibly from before our own change: apply what Stripe has now instead. If Stripe cannot
        # be reached, GatewayUnavailable leaves the event unrecorded and Stripe delivers it again.
        obj = get_gateway("stripe").fetch_subscription(obj["id"])
    apply_subscription_object(subscription, obj, created=created, actor=actor)


def _subscription_deleted(obj: dict, created: int, actor: str) -> None:
    subscription = _subscription_for(obj, actor)
    if subscription is not None and can_move(subscription.status, "canceled"):
        subscription.stripe_state_at = max(created, subscription.stripe_state_at or 0)
        transition(subscription, "canceled", actor=actor, reason="subscription deleted in Stripe")


def _invoice_paid(obj: dict, created: int, actor: str) -> None:
    subscription = _subscription_for(obj, actor)
    if subscription is None or not obj.get("amount_paid"):
        return  # a zero invoice (e.g. a trial's start) pays for nothing
    if db.session.scalar(sa.select(sa.func.count()).where(Invoice.stripe_invoice_id == obj["id"])):
        return
    amount = Decimal(obj["amount_paid"]) / 100
    tax = Decimal(sum(tax["amount"] for tax in obj.get("total_taxes") or [])) / 100
    label = obj.get("number") or obj["id"]
    start, end = line_period(obj)
    invoice = invoices.draft(subscription, [(f"Stripe invoice {label}", 1, amount - tax)],
                             period_start=start, period_end=end, apply_credit=False)
    # The tax Stripe charged (its tax rate is BILLING_TAX_RATE, stripe_gateway.tax_rate_ids).
    invoice.tax_rate = Decimal(current_app.config["BILLING_TAX_RATE"]) if tax else Decimal("0")
    invoice.tax, invoice.total = tax, invoice.subtotal + tax
    invoice.stripe_invoice_id = obj["id"]
    invoices.issue(invoice, send_mail=False)
    invoices.mark_paid(invoice, method="stripe", actor=actor, reference=obj["id"])
    # Stripe's time of payment (not ours): a failure event created before it is stale.
    paid_at = (obj.get("status_transitions") or {}).get("paid_at") or created
    invoice.paid_at = _at(paid_at)
    db.session.flush()


def line_period(obj: dict) -> tuple[datetime | None, datetime | None]:
    """The service period a Stripe invoice bills: its lines' periods.

    Never `invoice.period_start/period_end`: for a subscription invoice those are the window in
    which pending invoice items were gathered (the period just ended), not the period paid for.
    The latest-ending lines are the subscription's own; earlier ones are leftover prorations.
    """
    periods = [line.get("period") or {} for line in (obj.get("lines") or {}).get("data") or []]
    periods = [period for period in periods if period.get("start") and period.get("end")]
    if not periods:
        return None, None
    end = max(period["end"] for period in periods)
    start = min(period["start"] for period in periods if period["end"] == end)
    return _at(start), _at(end)


def _invoice_failed(obj: dict, created: int, actor: str) -> None:
    subscription = _subscription_for(obj, actor)
    if subscription is None or subscription.status not in ("trialing", "active"):
        return
    if _stale_failure(subscription, obj, created):
        return
    transition(subscription, "past_due", actor=actor, reason="payment failed in Stripe")


def _stale_failure(subscription: Subscription, obj: dict, created: int) -> bool:
    """A failure that no longer holds: its invoice was paid since, or the event is older than
    the state already applied or than the subscription's latest payment in Stripe."""
    if obj.get("status") == "paid" or subscription.stripe_state_at and created < subscription.stripe_state_at:
        return True
    paid = db.session.execute(sa.select(Invoice.stripe_invoice_id, Invoice.paid_at).where(
        Invoice.subscription_id == subscription.id, Invoice.status == "paid",
        Invoice.stripe_invoice_id.is_not(None))).all()
    if any(stripe_id == obj.get("id") for stripe_id, _ in paid):
        return True
    return any(paid_at is not None and created < paid_at.timestamp() for _, paid_at in paid)


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_deleted,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
}
