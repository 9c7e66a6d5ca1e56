"""Stripe in production: one tax rule for both gateways, a pinned API version, real errors told
apart from outages, one product per plan, malformed events refused, numbers in the provider's year."""
import logging
from datetime import datetime, timezone
from pathlib import Path

import time_machine

from app.extensions import db
from billing.invoice_models import Invoice
from billing.models import Subscription
from tests.billing.conftest import subscribe
from tests.billing.fake_stripe import fixture, signed
from tests.billing.stripe_helpers import WEBHOOK, deliver, linked
from tests.conftest import login

DOCS = Path(__file__).resolve().parents[2] / "docs" / "BILLING.md"


def test_card_subscriptions_carry_the_same_tax_as_bank_transfer_invoices(app, fake_stripe, new_tenant):
    for tenant in (new_tenant(), new_tenant()):
        subscribe(app, tenant, "trialing")
        client = app.test_client()
        login(client, tenant)
        assert client.post(f"/t/{tenant.slug}/billing/pay", data={"method": "card"}).status_code == 303
        params = fake_stripe.requests[-1][2]
        assert params["subscription_data[default_tax_rates][0]"] == fake_stripe.tax_rates[0]["id"]
    assert len(fake_stripe.tax_rates) == 1  # made once, then found again
    assert (fake_stripe.tax_rates[0]["percentage"], fake_stripe.tax_rates[0]["inclusive"]) == (6.0, False)
    page = app.test_client().get("/pricing").get_data(as_text=True)
    assert "6% is added, the same whether you pay by card or by bank transfer" in page


def test_a_mirrored_stripe_invoice_shows_the_tax_stripe_charged(app, app_ctx, client, fake_stripe, tenant):
    sub_id, stripe_id = linked(app, tenant)
    paid = fixture("invoice", id="in_taxed", subscription=stripe_id, parent=None, amount_paid=21094,
                   status="paid", total_taxes=[{"amount": 1194, "taxability_reason": "standard_rated"}])
    deliver(client, "invoice.paid", paid, "evt_taxed", 100)
    invoice = db.session.query(Invoice).filter_by(stripe_invoice_id="in_taxed").one()
    assert (str(invoice.subtotal), str(invoice.tax), str(invoice.total)) == ("199.00", "11.94", "210.94")


def test_every_request_names_the_pinned_api_version_which_the_docs_give_for_the_webhook(app, fake_stripe, tenant, owner_client):
    from billing.gateways.stripe_gateway import API_VERSION

    subscribe(app, tenant, "trialing")
    owner_client.post(f"/t/{tenant.slug}/billing/pay")
    assert fake_stripe.seen and all(headers.get("Stripe-Version") == API_VERSION for _url, headers in fake_stripe.seen)
    assert API_VERSION in DOCS.read_text()


def test_stripe_api_base_points_the_client_at_another_server(app, fake_stripe, tenant, owner_client, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", "http://localhost:8420")
    subscribe(app, tenant, "trialing")
    owner_client.post(f"/t/{tenant.slug}/billing/pay")
    assert fake_stripe.seen[-1][0].startswith("http://localhost:8420/v1/checkout/sessions")


def test_a_refusal_by_stripe_is_logged_and_not_called_an_outage(app, fake_stripe, tenant, owner_client, caplog):
    subscribe(app, tenant, "trialing")
    fake_stripe.fail_next = (400, {"type": "invalid_request_error", "code": "parameter_invalid_integer",
                                   "message": "Invalid integer: abc", "param": "line_items[0][quantity]"})
    with caplog.at_level(logging.ERROR, logger="billing.gateways.stripe_gateway"):
        response = owner_client.post(f"/t/{tenant.slug}/billing/pay")
    assert response.status_code == 502
    page = response.get_data(as_text=True)
    assert "refused this request" in page and "cannot be reached" not in page
    assert "parameter_invalid_integer" in caplog.text and "req_test_failed" in caplog.text
    fake_stripe.down = True
    assert "cannot be reached" in owner_client.post(f"/t/{tenant.slug}/billing/pay").get_data(as_text=True)


def test_provider_staff_see_stripes_own_words_when_it_refuses(app, fake_stripe, tenant):
    from tests.console import console_client

    sub_id, stripe_id = linked(app, tenant)
    fake_stripe.fail_next = (404, {"type": "invalid_request_error", "code": "resource_missing",
                                   "message": f"No such subscription: '{stripe_id}'"})
    form = {"confirm": "yes", "reason": "customer left", "when": "now"}
    response = console_client(app, "owner").post(f"/provider/tenants/{tenant.id}/actions/cancel", data=form)
    assert response.status_code == 502
    assert "No such subscription" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Subscription, sub_id).status == "active"


def test_one_stripe_product_per_plan_however_many_checkouts(app, fake_stripe, tenant, owner_client):
    subscribe(app, tenant, "trialing", extra_seats=2)
    for _ in range(3):
        assert owner_client.post(f"/t/{tenant.slug}/billing/pay").status_code == 303
        params = fake_stripe.requests[-1][2]
        assert params["line_items[0][price_data][product]"] == "kehu_plan_basic"
        assert params["line_items[1][price_data][product]"] == "kehu_extra_users"
    assert sorted(fake_stripe.products) == ["kehu_extra_users", "kehu_plan_basic"]


def test_a_signed_body_that_is_not_an_event_object_is_a_400(app, client, fake_stripe):
    for payload in ([1, 2], "text", {"id": "evt_x", "type": "invoice.paid", "data": {"object": "in_1"}},
                    {"id": "evt_y", "type": "invoice.paid", "data": []}, {"id": 5, "type": "x", "data": {"object": {}}}):
        body, headers = signed(payload)
        assert client.post(WEBHOOK, data=body, headers=headers).status_code == 400, payload


def test_invoice_numbers_take_the_providers_year(app, client, tenant):
    subscribe(app, tenant, "trialing")
    # 17:30 UTC on 31 December is 01:30 on 1 January in Shanghai (BILLING_TIME_ZONE).
    with time_machine.travel(datetime(2033, 12, 31, 17, 30, tzinfo=timezone.utc), tick=False):
        login(client, tenant)
        response = client.post(f"/t/{tenant.slug}/billing/pay")
    with app.app_context():
        invoice = db.session.get(Invoice, int(response.location.rsplit("/", 1)[1]))
        assert invoice.number.startswith("2034-") and invoice.year == 2034
