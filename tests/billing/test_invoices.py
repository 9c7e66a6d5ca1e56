"""Invoices: gapless numbers, tax line, printable page, mailed; paying reactivates; proration."""
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from billing import changes, invoices, plans
from billing.clock import now
from billing.gateways.manual import period_invoice
from billing.invoice_models import Invoice
from tenants.models import Tenant
from tests.billing.conftest import load, subscribe


def test_issued_invoices_are_numbered_without_gaps_and_carry_the_tax_line(app, app_ctx, subscribed):
    _tenant, sub_id = subscribed("active")
    numbers = []
    for _ in range(3):
        invoice = invoices.issue(invoices.draft(load(sub_id), [("Basic", 1, Decimal("199.00"))]))
        numbers.append(invoice.sequence)
    db.session.commit()
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert invoice.number == f"{now().year}-{numbers[2]:06d}"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (Decimal("199.00"), Decimal("11.94"), Decimal("210.94"))


def test_a_rolled_back_issue_gives_its_number_back(app, app_ctx, subscribed):
    _tenant, sub_id = subscribed("active")
    first = invoices.issue(invoices.draft(load(sub_id), [("x", 1, Decimal("1"))]), send_mail=False).sequence
    db.session.rollback()
    again = invoices.issue(invoices.draft(load(sub_id), [("x", 1, Decimal("1"))]), send_mail=False).sequence
    db.session.commit()
    assert again == first


def test_the_tenant_admin_gets_the_invoice_by_mail_and_can_print_it(app, tenant, owner_client):
    sub_id = subscribe(app, tenant, "trialing")
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay")  # manual gateway: bank transfer
    assert response.status_code == 302 and "/billing/invoices/" in response.location
    page = owner_client.get(response.location).get_data(as_text=True)
    assert "¥199.00" in page and "¥11.94" in page and "¥210.94" in page and "Open" in page
    with app.app_context():
        invoice = db.session.scalars(sa.select(Invoice).where(Invoice.subscription_id == sub_id)).one()
        number = invoice.number
    from tests.signup.test_signup import _mails_to
    assert any(number in m["Subject"] for m in _mails_to(app, f"owner@{tenant.slug}.example"))


def test_paying_brings_a_suspended_tenant_back_and_never_a_canceled_one(app, app_ctx, subscribed):
    tenant, sub_id = subscribed("suspended")
    invoice = period_invoice(load(sub_id), send_mail=False)
    invoices.mark_paid(invoice, method="bank_transfer", actor="provider:ops", reference="TX-1")
    db.session.commit()
    assert load(sub_id).status == "active" and db.session.get(Tenant, tenant.id).status == "active"
    assert load(sub_id).current_period_end == invoice.period_end
    tenant2, sub2 = subscribed("canceled")
    late = invoices.issue(invoices.draft(load(sub2), [("x", 1, Decimal("5"))]), send_mail=False)
    invoices.mark_paid(late, method="bank_transfer", actor="provider:ops")
    db.session.commit()
    assert load(sub2).status == "canceled" and db.session.get(Tenant, tenant2.id).status == "canceled"


@pytest.mark.parametrize("action", [invoices.void, invoices.mark_uncollectible])
def test_paid_invoices_cannot_be_voided_or_written_off(app_ctx, subscribed, action):
    _tenant, sub_id = subscribed("active")
    invoice = invoices.issue(invoices.draft(load(sub_id), [("x", 1, Decimal("5"))]), send_mail=False)
    invoices.mark_paid(invoice, method="bank_transfer", actor="t")
    with pytest.raises(invoices.InvoiceError):
        action(invoice)
    db.session.rollback()


def test_upgrade_mid_period_invoices_the_prorated_difference(app, app_ctx, subscribed):
    start = now() - timedelta(days=15)
    tenant, sub_id = subscribed("active", current_period_start=start,
                                current_period_end=start + timedelta(days=30))
    invoice = changes.change_plan(load(sub_id), db.session.get(Tenant, tenant.id),
                                  plans.plan_by_key("professional"), "month")
    db.session.commit()
    # half the period left: credit 99.50 on Basic (199), charge 299.50 on Professional (599)
    assert [line.amount for line in invoice.lines] == [Decimal("-99.50"), Decimal("299.50")]
    assert invoice.subtotal == Decimal("200.00") and invoice.status == "open"
    assert load(sub_id).plan.key == "professional"


def test_downgrade_mid_period_becomes_credit(app, app_ctx, subscribed):
    start = now() - timedelta(days=15)
    tenant, sub_id = subscribed("active", plan_key="professional", current_period_start=start,
                                current_period_end=start + timedelta(days=30))
    assert changes.change_plan(load(sub_id), db.session.get(Tenant, tenant.id),
                               plans.plan_by_key("basic"), "month") is None
    db.session.commit()
    assert load(sub_id).credit_balance == Decimal("200.00")
    next_invoice = invoices.draft(load(sub_id), [("Basic", 1, Decimal("199.00"))])
    assert next_invoice.subtotal == Decimal("0.00") and load(sub_id).credit_balance == Decimal("1.00")
    db.session.rollback()


def test_downgrade_is_refused_when_usage_exceeds_the_target(app, tenant, owner_client, monkeypatch):
    from billing import usage
    sub_id = subscribe(app, tenant, "active", plan_key="professional")
    monkeypatch.setitem(usage._counters["seats"], "test.many", lambda: 10)
    response = owner_client.post(f"/t/{tenant.slug}/billing/plan", data={"plan": "basic", "interval": "month"})
    assert response.status_code == 422
    assert "above the Basic plan" in response.get_data(as_text=True) and "users" in response.get_data(as_text=True)
    with app.app_context():
        assert load(sub_id).plan.key == "professional"
