"""Bank transfer, self-serve: the provider enters its bank account per currency in the console,
and the invoice page, PDF and e-mail of a manual invoice in that currency show it."""
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from billing.models import BankAccount

from tests.billing.conftest import subscribe
from tests.console import console_client
from tests.mailbox import latest_mail



@pytest.fixture(autouse=True)
def no_accounts_left(app):
    """The accounts are global: other tests expect the BILLING_BANK_DETAILS setting."""
    yield
    with app.app_context():
        db.session.execute(sa.delete(BankAccount))
        db.session.commit()


ACCOUNT = "Citibank Hong Kong\nAccount 6225 8801 2345 6789\nKehu Software Ltd"


def _save_accounts(app, **details):
    console = console_client(app, "billing")
    form = {f"details_{currency}": text for currency, text in details.items()}
    return console.post("/provider/bank-accounts", data=form)


def test_the_console_bank_account_appears_on_the_invoice_its_pdf_and_its_mail(app, tenant, owner_client):
    assert _save_accounts(app, USD=ACCOUNT, CNY="Bank of China 9999").status_code == 302
    subscribe(app, tenant, "trialing", currency="USD")
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay")
    assert response.status_code == 302
    page = owner_client.get(response.location).get_data(as_text=True)
    assert "Account 6225 8801 2345 6789" in page and "see your contract" not in page
    assert "Bank of China" not in page  # the USD invoice shows the USD account only
    pdf = owner_client.get(response.location + "/pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "6225 8801 2345 6789" in text
    assert "Account 6225 8801 2345 6789" in latest_mail(app, f"owner@{tenant.slug}.example")


def test_only_owner_and_billing_staff_edit_bank_accounts_and_long_text_is_refused(app):
    assert console_client(app, "support").post("/provider/bank-accounts", data={"details_CNY": "x"}).status_code == 403
    assert _save_accounts(app, CNY="x" * 2001).status_code == 422


def test_with_stripe_configured_bank_transfer_is_still_offered(app, fake_stripe, tenant, owner_client):
    subscribe(app, tenant, "trialing")
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "Pay by card" in page and "Get an invoice for bank transfer" in page
    response = owner_client.post(f"/t/{tenant.slug}/billing/pay", data={"method": "bank_transfer"})
    assert response.status_code == 302 and "/billing/invoices/" in response.location
    assert not [r for r in fake_stripe.requests if r[1] == "/v1/checkout/sessions"]
