"""Bank transfer: an invoice with payment instructions; provider staff mark it paid."""
import sqlalchemy as sa

from app.extensions import db
from billing import invoices
from billing.clock import now
from billing.gateways import PaymentStart
from billing.invoice_models import Invoice
from billing.locks import lock
from billing.periods import add_period
from billing.plans import price_of, seat_price_of


def next_period(subscription):
    """The period an invoice issued now pays for: from the current period's (or trial's) end."""
    start = subscription.current_period_end or now()
    if subscription.status in ("past_due", "suspended"):
        start = max(start, now())
    return start, add_period(start, subscription.interval)


def period_invoice(subscription, *, send_mail: bool = True) -> Invoice:
    """The open invoice for the next period, issuing it if there is none yet.

    The subscription row is locked first: a second click (or billing run) at the same moment
    waits, then finds the invoice the first one issued instead of issuing a twin.
    """
    lock(subscription)
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
    lines = [(description, 1, amount)]
    seat_amount = seat_price_of(plan, subscription.currency, subscription.interval)
    if subscription.extra_seats and seat_amount is not None:
        lines.append(("Extra users", subscription.extra_seats, seat_amount))
    invoice = invoices.draft(subscription, lines, period_start=start, period_end=end)
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

    def change_seats(self, subscription, extra_seats):
        """Added seats: an invoice for the rest of the period now; removed seats: that much credit."""
        from billing.seats import prorated_seats, seat_price

        if subscription.status != "active" or not subscription.current_period_end:
            return None, "trial: billed from the first paid period"
        change = extra_seats - subscription.extra_seats
        amount = prorated_seats(seat_price(subscription), abs(change), subscription.current_period_start,
                                subscription.current_period_end, now())
        if change < 0:
            subscription.credit_balance += amount
            return None, f"credit {amount} {subscription.currency}"
        end = subscription.current_period_end
        line = (f"{change} extra user(s) on {subscription.plan.name} until {end:%Y-%m-%d} (prorated)",
                change, amount / change)
        invoice = invoices.issue(invoices.draft(subscription, [line], apply_credit=False))
        return invoice, f"invoice {invoice.number}, {invoice.total} {invoice.currency}"

    def change_plan(self, subscription, plan, interval):
        """Prorated here: the net charge is invoiced now, a net credit goes to the next invoice."""
        from billing.changes import prorate_locally

        return prorate_locally(subscription, plan, interval)

    def set_cancel_at_period_end(self, subscription, cancel):
        return "nothing to tell a payment service"

    def cancel_now(self, subscription):
        return "nothing to tell a payment service"
