"""A tenant Stripe already bills never gets a second Stripe subscription: paying goes through
Stripe's own pages, and events about another Stripe subscription are flagged, never applied."""
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from billing.clock import now
from billing.invoice_models import Invoice
from billing.models import BillingFlag
from tests.billing.conftest import load, subscribe
from tests.billing.fake_stripe import fixture
from tests.billing.stripe_helpers import deliver, linked, subscription_object
from tests.console import console_client


def _flags(sub_id):
    db.session.expire_all()
    return db.session.scalars(sa.select(BillingFlag).where(BillingFlag.subscription_id == sub_id)).all()


def test_pay_on_a_stripe_billed_subscription_opens_the_portal_not_a_second_checkout(app, fake_stripe, tenant, owner_client):
    linked(app, tenant, "past_due")
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "Pay by card" not in page and "Pay or change your card in Stripe" in page
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay", follow_redirects=False)
    assert response.status_code == 303 and response.location.endswith("/billing/portal")
    assert not [r for r in fake_stripe.requests if r[1] == "/v1/checkout/sessions"]


def test_a_second_subscriptions_checkout_and_the_old_ones_deletion_change_nothing(app, app_ctx, client, fake_stripe, tenant):
    sub_id, stripe_id = linked(app, tenant)
    second = fixture("checkout.session", mode="subscription", payment_status="paid",
                     client_reference_id=str(sub_id), customer=f"cus_{tenant.slug}", subscription="sub_second")
    assert deliver(client, "checkout.session.completed", second, "evt_second_1", 100).status_code == 200
    db.session.expire_all()
    assert load(sub_id).stripe_subscription_id == stripe_id
    other = subscription_object("sub_second", now(), now() + timedelta(days=30), status="canceled",
                                metadata={"subscription_id": str(sub_id)})
    deliver(client, "customer.subscription.deleted", other, "evt_second_2", 200)
    paid = fixture("invoice", id="in_second", subscription="sub_second", parent=None, amount_paid=19900,
                   status="paid", metadata={"subscription_id": str(sub_id)})
    deliver(client, "invoice.paid", paid, "evt_second_3", 300)
    db.session.expire_all()
    assert load(sub_id).status == "active" and load(sub_id).stripe_subscription_id == stripe_id
    assert not db.session.scalars(sa.select(Invoice).where(Invoice.stripe_invoice_id == "in_second")).all()
    assert sorted(flag.stripe_event_id for flag in _flags(sub_id)) == ["evt_second_1", "evt_second_2", "evt_second_3"]
    # provider staff see them in the console and mark them dealt with
    console = console_client(app, "billing")
    page = console.get("/provider/flags").get_data(as_text=True)
    assert "sub_second" in page and "evt_second_1" in page
    flag_id = _flags(sub_id)[0].id
    assert console.post(f"/provider/flags/{flag_id}/resolve").status_code == 302
    assert f"/provider/flags/{flag_id}/resolve" not in console.get("/provider/flags").get_data(as_text=True)
    assert console_client(app, "support").post(f"/provider/flags/{_flags(sub_id)[1].id}/resolve").status_code == 403


def test_a_card_payment_for_an_invoice_already_paid_is_flagged_for_a_refund(app, client, fake_stripe, tenant, owner_client):
    from billing import invoices

    sub_id = subscribe(app, tenant, "trialing")
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay", data={"method": "bank_transfer"})
    invoice_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        invoices.mark_paid(db.session.get(Invoice, invoice_id), method="bank_transfer", actor="test")
        db.session.commit()
    session = fixture("checkout.session", mode="payment", payment_status="paid", payment_intent="pi_twice",
                      amount_total=21094, client_reference_id=str(sub_id),
                      metadata={"invoice_id": str(invoice_id), "subscription_id": str(sub_id)})
    assert deliver(client, "checkout.session.completed", session, "evt_twice", 100).status_code == 200
    with app.app_context():
        assert [(flag.kind, flag.reference) for flag in _flags(sub_id)] == [("paid_twice", "pi_twice")]
