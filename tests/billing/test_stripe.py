"""Stripe: Checkout, the portal, and webhooks (signed, once, in any order), against a local fake."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from billing.invoice_models import Invoice
from billing.models import StripeEvent, SubscriptionTransition
from tenants.models import Tenant
from tests.billing.conftest import load, subscribe
from tests.billing.fake_stripe import event, fixture, signed

WEBHOOK = "/billing/stripe/webhook"


def _deliver(client, payload, **sign):
    body, headers = signed(payload, **sign)
    return client.post(WEBHOOK, data=body, headers=headers)


def _linked(app, tenant, status="active"):
    sub_id = subscribe(app, tenant, status, stripe_subscription_id=f"sub_{tenant.slug}",
                       stripe_customer_id=f"cus_{tenant.slug}", gateway="stripe")
    return sub_id, f"sub_{tenant.slug}"


def _history(sub_id):
    return db.session.scalars(sa.select(SubscriptionTransition.to_status).where(
        SubscriptionTransition.subscription_id == sub_id).order_by(SubscriptionTransition.id)).all()


def test_checkout_sends_the_plan_price_and_redirects_to_stripe(app, fake_stripe, tenant, owner_client):
    sub_id = subscribe(app, tenant, "trialing")
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay")
    assert response.status_code == 303 and response.location.startswith("https://checkout.stripe.com/")
    method, path, params = fake_stripe.requests[-1]
    assert (method, path, params["mode"]) == ("post", "/v1/checkout/sessions", "subscription")
    assert params["line_items[0][price_data][unit_amount]"] == "19900"
    assert params["line_items[0][price_data][currency]"] == "cny"
    assert params["client_reference_id"] == str(sub_id)
    assert params["customer_email"] == f"owner@{tenant.slug}.example"
    assert "subscription_data[trial_end]" in params  # the trial is not cut short


def test_stripe_unreachable_during_checkout_says_so_and_a_retry_works(app, fake_stripe, tenant, owner_client):
    subscribe(app, tenant, "trialing")
    fake_stripe.down = True
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay")
    assert response.status_code == 503
    assert "cannot be reached right now" in response.get_data(as_text=True)
    fake_stripe.down = False
    assert owner_client.post(f"/t/{tenant.slug}/billing/pay").status_code == 303


def test_portal_link_for_a_linked_customer(app, fake_stripe, tenant, owner_client):
    _linked(app, tenant)
    response = owner_client.get(f"/t/{tenant.slug}/billing/portal")
    assert response.status_code == 303 and "billing.stripe.com" in response.location
    assert fake_stripe.requests[-1][2]["customer"] == f"cus_{tenant.slug}"


def test_checkout_completed_links_stripe_and_subscription_events_drive_the_status(app, app_ctx, client, fake_stripe, tenant):
    sub_id = subscribe(app, tenant, "past_due")
    session = fixture("checkout.session", mode="subscription", payment_status="paid",
                      client_reference_id=str(sub_id), customer="cus_new", subscription="sub_new")
    assert _deliver(client, event("checkout.session.completed", session, event_id="evt_c1", created=100)).get_json()["outcome"] == "processed"
    db.session.expire_all()
    assert (load(sub_id).stripe_subscription_id, load(sub_id).status) == ("sub_new", "active")
    failed = fixture("invoice", subscription="sub_new", parent=None, customer="cus_new")
    _deliver(client, event("invoice.payment_failed", failed, event_id="evt_f1", created=200))
    db.session.expire_all()
    assert load(sub_id).status == "past_due"
    paid = fixture("invoice", id="in_paid_1", subscription="sub_new", parent=None, amount_paid=19900,
                   status="paid", number="ABC-0001")
    _deliver(client, event("invoice.paid", paid, event_id="evt_p1", created=300))
    db.session.expire_all()
    assert load(sub_id).status == "active"
    mirrored = db.session.scalars(sa.select(Invoice).where(Invoice.stripe_invoice_id == "in_paid_1")).one()
    assert (mirrored.status, str(mirrored.total), mirrored.number is not None) == ("paid", "199.00", True)


def test_a_redelivered_event_is_a_no_op(app, app_ctx, client, fake_stripe, tenant):
    sub_id, stripe_id = _linked(app, tenant)
    payload = event("invoice.payment_failed", fixture("invoice", subscription=stripe_id, parent=None),
                    event_id="evt_dup_" + tenant.slug, created=100)
    assert _deliver(client, payload).get_json()["outcome"] == "processed"
    assert _deliver(client, payload).get_json()["outcome"] == "duplicate"
    assert _history(sub_id) == ["trialing", "past_due"]


def test_out_of_order_events_never_resurrect_a_canceled_tenant(app, app_ctx, client, fake_stripe, tenant):
    sub_id, stripe_id = _linked(app, tenant)
    deleted = fixture("subscription", id=stripe_id, status="canceled")
    _deliver(client, event("customer.subscription.deleted", deleted, event_id=f"evt_d_{tenant.slug}", created=500))
    stale = fixture("subscription", id=stripe_id, status="active")
    assert _deliver(client, event("customer.subscription.updated", stale, event_id=f"evt_u_{tenant.slug}",
                                  created=400)).status_code == 200
    late_paid = fixture("invoice", id=f"in_late_{tenant.slug}", subscription=stripe_id, parent=None,
                        amount_paid=19900)
    _deliver(client, event("invoice.paid", late_paid, event_id=f"evt_p_{tenant.slug}", created=450))
    db.session.expire_all()
    assert load(sub_id).status == "canceled"
    assert db.session.get(Tenant, tenant.id).status == "canceled"
    assert db.session.scalars(sa.select(Invoice.status).where(
        Invoice.stripe_invoice_id == f"in_late_{tenant.slug}")).one() == "paid"  # the money is recorded


def test_a_bad_signature_is_refused_and_changes_nothing(app, app_ctx, client, fake_stripe, tenant):
    sub_id, stripe_id = _linked(app, tenant)
    payload = event("customer.subscription.deleted", fixture("subscription", id=stripe_id, status="canceled"),
                    event_id=f"evt_bad_{tenant.slug}", created=100)
    assert _deliver(client, payload, secret="whsec_wrong").status_code == 400
    assert client.post(WEBHOOK, data="{}", headers={"Stripe-Signature": "garbage"}).status_code == 400
    assert client.post(WEBHOOK, data="{}").status_code == 400
    db.session.expire_all()
    assert load(sub_id).status == "active"
    assert db.session.get(StripeEvent, f"evt_bad_{tenant.slug}") is None


def test_an_old_signature_is_refused(app, client, fake_stripe, tenant):
    payload = event("invoice.paid", fixture("invoice"), event_id="evt_old", created=1)
    assert _deliver(client, payload, timestamp=1000).status_code == 400


def test_unknown_event_types_are_acknowledged_and_ignored(app, client, fake_stripe):
    payload = event("plan.created", fixture("price"), event_id="evt_unknown_1", created=1)
    response = _deliver(client, payload)
    assert response.status_code == 200 and response.get_json()["outcome"] == "ignored"


def test_sync_reconciles_a_tenant_from_stripe(app, app_ctx, fake_stripe, tenant):
    sub_id, stripe_id = _linked(app, tenant)
    fake_stripe.subscriptions[stripe_id] = {"status": "past_due"}
    result = app.test_cli_runner().invoke(args=["billing", "sync", tenant.slug])
    assert result.exit_code == 0 and "now past_due" in result.output
    db.session.expire_all()
    assert load(sub_id).status == "past_due"
    fake_stripe.down = True
    down = app.test_cli_runner().invoke(args=["billing", "sync", tenant.slug])
    assert down.exit_code != 0 and "could not be reached" in down.output
    assert app.test_cli_runner().invoke(args=["billing", "sync", "no-such"]).exit_code != 0
