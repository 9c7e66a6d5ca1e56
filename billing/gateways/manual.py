"""Bank transfer: an invoice with payment instructions; provider staff mark it paid."""
import sqlalchemy as sa

from app.extensions import db
from billing import invoices
from billing.clock import now
from billing.gateways import PaymentStart
from billing.invoice_models import Invoice
from billing.periods import add_period
from billing.plans import price_of


def next_period(subscription):
    """The period an invoice issued now pays for: from the current period's (or trial's) end."""
    start = subscription.current_period_end or now()
    if subscription.status in ("past_due", "suspended"):
        start = max(start, now())
    return start, add_period(start, subscription.interval)


def period_invoice(subscription, *, send_mail: bool = True) -> Invoice:
    """The open invoice for the next period, issuing it if there is none yet."""
    existing = db.session.scalars(sa.select(Invoice).where(
        Invoice.subscription_id == subscription.id, Invoice.status == "open",
        Invoice.period_start.is_not(None),
    ).order_by(Invoice.id.desc())).first()
    if existing is not None:
        return existing
    start, end = next_period(subscription)
    plan = subscription.plan
    amount = price_of(plan, subscription.currency, subscription.interval)
    label = "monthly" if subscription.interval == "month" else "yearly"
    description = f"Kehu CRM {plan.name} ({label}) {start:%Y-%m-%d} – {end:%Y-%m-%d}"
    invoice = invoices.draft(subscription, [(description, 1, amount)], period_start=start, period_end=end)
    return invoices.issue(invoice, send_mail=send_mail)


class ManualGateway:
    name = "manual"

    def start_subscription(self, subscription, success_url, cancel_url) -> PaymentStart:
        return PaymentStart(invoice=period_invoice(subscription))

    def pay_invoice(self, invoice, subscription, success_url, cancel_url) -> PaymentStart:
        return PaymentStart(invoice=invoice)

    def portal_url(self, subscription, return_url):
        return None

    def sync(self, subscription) -> str:
        return "manual billing: nothing to reconcile"
