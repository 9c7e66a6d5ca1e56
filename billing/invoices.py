"""Invoices: drafted with lines and a tax line, numbered without gaps when issued, paid or voided.

A number is taken from invoice_counters under a row lock inside the issuing
transaction, so numbers are consecutive per year: a rolled-back issue gives
its number back. Paying an invoice brings a past-due or suspended
subscription back to active; it never revives a canceled one.
"""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _

from app import mail
from app.extensions import db
from billing import bank
from billing.clock import now
from billing.invoice_models import Invoice, InvoiceCounter, InvoiceLine, Payment
from billing.models import Subscription
from billing.periods import cents
from billing.states import transition


class InvoiceError(ValueError):
    pass


def next_number(year: int) -> int:
    table = InvoiceCounter.__table__
    return db.session.execute(
        pg_insert(table).values(year=year, last_number=1)
        .on_conflict_do_update(index_elements=["year"],
                               set_={"last_number": table.c.last_number + 1})
        .returning(table.c.last_number)).scalar_one()


def draft(subscription: Subscription, lines: list[tuple[str, int, Decimal]], *,
          period_start: datetime | None = None, period_end: datetime | None = None,
          apply_credit: bool = True) -> Invoice:
    """A draft invoice with `lines` (description, quantity, unit amount) and the tax line."""
    invoice = Invoice(subscription_id=subscription.id, currency=subscription.currency, status="draft",
                      billed_to=subscription.billing_name, period_start=period_start,
                      period_end=period_end,
                      tax_rate=Decimal(current_app.config["BILLING_TAX_RATE"]))
    for description, quantity, unit in lines:
        invoice.lines.append(InvoiceLine(description=description[:300], quantity=quantity,
                                         unit_amount=cents(unit), amount=cents(unit * quantity)))
    if apply_credit:
        _apply_credit(subscription, invoice)
    _total(invoice)
    db.session.add(invoice)
    db.session.flush()
    return invoice


def _apply_credit(subscription: Subscription, invoice: Invoice) -> None:
    subtotal = sum((line.amount for line in invoice.lines), Decimal("0"))
    used = min(subscription.credit_balance or Decimal("0"), max(subtotal, Decimal("0")))
    if used > 0:
        invoice.lines.append(InvoiceLine(description="Credit applied", quantity=1,
                                         unit_amount=-used, amount=-used))
        subscription.credit_balance -= used


def _total(invoice: Invoice) -> None:
    invoice.subtotal = cents(sum((line.amount for line in invoice.lines), Decimal("0")))
    invoice.tax = cents(max(invoice.subtotal, Decimal("0")) * invoice.tax_rate)
    invoice.total = invoice.subtotal + invoice.tax


def issue(invoice: Invoice, *, send_mail: bool = True) -> Invoice:
    """Give the draft its number (YYYY-NNNNNN), make it open with a due date, mail it."""
    if invoice.status != "draft":
        raise InvoiceError("only a draft can be issued")
    at = now()
    # The year of the number is the provider's calendar year (BILLING_TIME_ZONE), not UTC's: an
    # invoice issued at 01:00 on 1 January in Shanghai is numbered in the new year.
    year = at.astimezone(ZoneInfo(current_app.config["BILLING_TIME_ZONE"])).year
    invoice.year = year
    invoice.sequence = next_number(year)
    invoice.number = f"{year}-{invoice.sequence:06d}"
    invoice.status, invoice.issued_at = "open", at
    invoice.due_at = at + timedelta(days=current_app.config["BILLING_PAYMENT_TERMS_DAYS"])
    db.session.flush()
    if send_mail:
        send_invoice_mail(invoice)
    return invoice


def invoice_link(invoice: Invoice, subscription: Subscription) -> str:
    return f"{current_app.config['BASE_URL']}/t/{subscription.tenant_slug}/billing/invoices/{invoice.id}"


def send_invoice_mail(invoice: Invoice) -> None:
    subscription = db.session.get(Subscription, invoice.subscription_id)
    if not subscription.billing_email:
        return
    with force_locale(_locale_of(subscription)):
        text = render_template("billing/mail_invoice.txt", invoice=invoice,
                               link=invoice_link(invoice, subscription),
                               bank_details=bank.details_for(invoice.currency))
        # After the commit only: a rolled-back issue sends nothing, a refused address undoes nothing.
        mail.send_after_commit(subscription.billing_email,
                               _("Invoice %(number)s from Kehu CRM", number=invoice.number), text)


def _locale_of(subscription: Subscription) -> str:
    from tenants.models import Tenant

    tenant = db.session.get(Tenant, subscription.tenant_id) if subscription.tenant_id else None
    return tenant.locale if tenant is not None else "en"


def mark_paid(invoice: Invoice, *, method: str, actor: str, reference: str = "",
              amount: Decimal | None = None) -> Payment:
    """Record the payment; a past-due or suspended subscription becomes active again."""
    if invoice.status not in ("open", "uncollectible"):
        raise InvoiceError("only an open invoice can be paid")
    payment = Payment(invoice=invoice, amount=invoice.total if amount is None else amount,
                      currency=invoice.currency, method=method, reference=reference[:120],
                      recorded_by=actor[:120])
    db.session.add(payment)
    invoice.status, invoice.paid_at = "paid", now()
    db.session.flush()
    subscription = db.session.get(Subscription, invoice.subscription_id)
    reactivate_after_payment(subscription, invoice, actor=actor)
    return payment


def reactivate_after_payment(subscription: Subscription, invoice: Invoice, *, actor: str) -> None:
    # The paid period becomes the current one if it lies ahead; paying an older invoice late
    # (or a mid-period proration) never moves the period back.
    ahead = subscription.current_period_end is None or (
        invoice.period_end is not None and invoice.period_end > subscription.current_period_end)
    if invoice.period_start and invoice.period_end and subscription.status != "canceled" and ahead:
        subscription.current_period_start = invoice.period_start
        subscription.current_period_end = invoice.period_end
    if subscription.status in ("trialing", "past_due", "suspended") and not _other_overdue(invoice):
        transition(subscription, "active", actor=actor, reason=f"invoice {invoice.number} paid")


def _other_overdue(invoice: Invoice) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).where(
        Invoice.subscription_id == invoice.subscription_id, Invoice.id != invoice.id,
        Invoice.status == "open", Invoice.due_at < now(),
    )))


def void(invoice: Invoice) -> None:
    if invoice.status not in ("draft", "open"):
        raise InvoiceError("only a draft or open invoice can be voided")
    invoice.status = "void"
    db.session.flush()


def mark_uncollectible(invoice: Invoice) -> None:
    if invoice.status != "open":
        raise InvoiceError("only an open invoice can be written off")
    invoice.status = "uncollectible"
    db.session.flush()


def issued_invoice_of(subscription: Subscription, invoice_id: int) -> Invoice | None:
    """The subscription's invoice with this id, once issued (drafts are nobody's business yet)."""
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None or invoice.subscription_id != subscription.id or invoice.status == "draft":
        return None
    return invoice


def invoices_of(subscription_id: int) -> list[Invoice]:
    return list(db.session.scalars(
        sa.select(Invoice).where(Invoice.subscription_id == subscription_id)
        .order_by(Invoice.created_at.desc(), Invoice.id.desc())
    ))
