"""Shared by the billing tests: a Stripe-linked subscription, signed deliveries, concurrent calls."""
import copy
import threading
from datetime import timedelta

from billing.clock import now
from tests.billing.conftest import subscribe
from tests.billing.fake_stripe import FIXTURES, event, fixture, signed

WEBHOOK = "/billing/stripe/webhook"


def linked(app, tenant, status="active", **fields):
    """A Stripe-linked subscription mid-period; returns (local id, Stripe subscription id)."""
    stripe_id = f"sub_{tenant.slug}"
    fields.setdefault("current_period_start", now() - timedelta(days=15))
    fields.setdefault("current_period_end", now() + timedelta(days=15))
    sub_id = subscribe(app, tenant, status, gateway="stripe", stripe_subscription_id=stripe_id,
                       stripe_customer_id=f"cus_{tenant.slug}", **fields)
    return sub_id, stripe_id


def deliver(client, kind, obj, event_id, created):
    body, headers = signed(event(kind, obj, event_id=event_id, created=created))
    return client.post(WEBHOOK, data=body, headers=headers)


def subscription_object(stripe_id, start, end, **changes):
    """Stripe's subscription object with one item over [start, end)."""
    item = {**copy.deepcopy(FIXTURES["subscription"]["items"]["data"][0]),
            "current_period_start": int(start.timestamp()), "current_period_end": int(end.timestamp())}
    return fixture("subscription", id=stripe_id, items={"object": "list", "data": [item]},
                   **{"status": "active", "cancel_at_period_end": False, **changes})


def renewal_invoice(invoice_id, stripe_id, start, end, amount=19900, **changes):
    """A paid renewal invoice as Stripe sends it: `period_*` is the look-back window (the
    instant the new period starts), the line carries the period paid for."""
    line = {**copy.deepcopy(FIXTURES["invoice"]["lines"]["data"][0]), "amount": amount,
            "period": {"start": int(start.timestamp()), "end": int(end.timestamp())}}
    return fixture("invoice", id=invoice_id, subscription=stripe_id, parent=None, status="paid",
                   amount_paid=amount, number=f"N-{invoice_id}", period_start=int(start.timestamp()),
                   period_end=int(start.timestamp()), lines={"object": "list", "data": [line]}, **changes)


def at_once(app, *calls, prepare=None):
    """Run each call(client) in its own thread with its own test client (own app context and
    database connection), all released together by a barrier; returns their results.
    prepare(client), e.g. a log-in, runs in each thread before the barrier."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            client = app.test_client()
            if prepare is not None:
                prepare(client)
            barrier.wait()
            results[index] = call(client)
        except Exception as exc:  # surfaced below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results
