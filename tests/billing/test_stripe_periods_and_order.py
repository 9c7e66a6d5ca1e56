"""Stripe events: the period comes from the invoice lines (not `invoice.period_*`), events for
one subscription apply one at a time, and a failure older than a payment is ignored."""
from datetime import timedelta

from app.extensions import db
from billing import dunning
from billing.clock import now
from tests.billing.conftest import load
from tests.billing.fake_stripe import fixture
from tests.billing.stripe_helpers import at_once, deliver, linked, renewal_invoice, subscription_object


def test_a_paid_renewal_sets_the_period_from_its_lines_not_the_look_back_window(app, app_ctx, client, fake_stripe, tenant):
    start = now().replace(microsecond=0)
    sub_id, stripe_id = linked(app, tenant, current_period_start=start - timedelta(days=30),
                               current_period_end=start, cancel_at_period_end=True)
    paid = renewal_invoice("in_renew_1", stripe_id, start, start + timedelta(days=30))
    assert deliver(client, "invoice.paid", paid, "evt_renew_1", int(start.timestamp())).status_code == 200
    db.session.expire_all()
    subscription = load(sub_id)
    assert (subscription.current_period_start, subscription.current_period_end) == (start, start + timedelta(days=30))
    # and the daily run does not end the cancel-at-period-end tenant's paid month early
    dunning.run_for(sub_id)
    db.session.commit()
    assert load(sub_id).status == "active"


def test_a_failure_older_than_the_payment_leaves_the_subscription_active(app, app_ctx, client, fake_stripe, tenant):
    start = now().replace(microsecond=0)
    sub_id, stripe_id = linked(app, tenant)
    paid = renewal_invoice("in_late_1", stripe_id, start, start + timedelta(days=30),
                           status_transitions={"paid_at": int(start.timestamp()) + 60})
    deliver(client, "invoice.paid", paid, "evt_paid_2", int(start.timestamp()) + 60)
    failed = fixture("invoice", id="in_late_1", subscription=stripe_id, parent=None, status="open")
    assert deliver(client, "invoice.payment_failed", failed, "evt_failed_2", int(start.timestamp())).status_code == 200
    older = fixture("invoice", id="in_older", subscription=stripe_id, parent=None, status="open")
    deliver(client, "invoice.payment_failed", older, "evt_failed_3", int(start.timestamp()) + 30)
    db.session.expire_all()
    assert load(sub_id).status == "active"
    newer = fixture("invoice", id="in_next", subscription=stripe_id, parent=None, status="open")
    deliver(client, "invoice.payment_failed", newer, "evt_failed_4", int(start.timestamp()) + 120)
    db.session.expire_all()
    assert load(sub_id).status == "past_due"  # a real, newer failure still counts


def test_two_updates_at_the_same_moment_keep_the_newer_period(app, app_ctx, fake_stripe, tenant):
    sub_id, stripe_id = linked(app, tenant)
    base = now().replace(microsecond=0)
    lost = 0
    for round_ in range(20):
        older_end, newer_end = base + timedelta(days=10 + round_), base + timedelta(days=40 + round_)
        created = 1_000_000 + round_ * 10
        older = subscription_object(stripe_id, base, older_end)
        newer = subscription_object(stripe_id, base, newer_end)
        at_once(app,
                lambda c: deliver(c, "customer.subscription.updated", older, f"evt_o{round_}", created + 1),
                lambda c: deliver(c, "customer.subscription.updated", newer, f"evt_n{round_}", created + 2))
        db.session.expire_all()
        lost += load(sub_id).current_period_end != newer_end
    assert lost == 0
