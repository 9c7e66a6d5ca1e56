"""`flask billing run`: reminders, renewals, past-due → suspended, cancellations, purges.

Safe to run any number of times a day, even twice at once: each subscription
is handled in its own transaction with its row locked (billing/locks.py), so a
second run waits for the first's commit and then finds the work done; each
reminder is recorded once per subscription, kind and period (billing_reminders),
an invoice is issued only when none is open for the period (also enforced by
the unique index `uq_invoices_open_period`), and state moves happen once by nature.
Mail leaves only after the subscription's commit (app.mail.send_after_commit),
so a refused address neither undoes the work nor stops the run, and a rerun
never sends a reminder twice. Subscriptions linked to Stripe are left to
Stripe's own dunning and webhooks.
"""
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from flask import current_app, render_template
from flask_babel import force_locale, lazy_gettext as _l

from app import mail
from app.extensions import db
from billing.clock import now
from billing.gateways.manual import period_invoice
from billing.invoice_models import Invoice
from billing.locks import locked
from billing.models import BillingReminder, Subscription
from billing.states import purge_refusal, transition

ACTOR = "system:dunning"


def subscription_ids() -> list[int]:
    """Every subscription the run looks at, oldest first."""
    return list(db.session.scalars(sa.select(Subscription.id).where(
        Subscription.status != "purged").order_by(Subscription.id)))


def run_for(subscription_id: int) -> Counter:
    """One subscription's pass, its row locked until the caller commits; flushes, never commits."""
    done = Counter()
    subscription = locked(Subscription.id == subscription_id)
    if subscription is None or subscription.status == "purged":
        return done
    for step in (_trial, _renewal, _overdue, _suspend, _canceled):
        outcome = step(subscription)
        if outcome:
            done[outcome] += 1
    db.session.flush()
    return done


def _manual(subscription) -> bool:
    return not subscription.stripe_subscription_id


def _trial(subscription):
    if subscription.status != "trialing":
        return None
    days = current_app.config["BILLING_TRIAL_REMINDER_DAYS"]
    if subscription.trial_ends_at > now():
        if subscription.trial_ends_at - now() <= timedelta(days=days):
            return _remind(subscription, "trial_ending", subscription.trial_ends_at.date().isoformat())
        return None
    if not _manual(subscription):
        return None
    invoice = period_invoice(subscription)
    transition(subscription, "past_due", actor=ACTOR,
               reason=f"trial ended; invoice {invoice.number} is open")
    return "trial_ended"


def _renewal(subscription):
    if subscription.status != "active" or not subscription.current_period_end:
        return None
    if subscription.current_period_end > now():
        return None
    if subscription.cancel_at_period_end:
        transition(subscription, "canceled", actor=ACTOR, reason="canceled at period end")
        return "canceled_at_period_end"
    if not _manual(subscription) or _open_invoice_from(subscription, subscription.current_period_end):
        return None
    period_invoice(subscription)
    return "renewal_invoiced"


def _open_invoice_from(subscription, start) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).where(
        Invoice.subscription_id == subscription.id, Invoice.status.in_(("open", "paid")),
        Invoice.period_start >= start)))


def _overdue(subscription):
    if not _manual(subscription) or subscription.status not in ("active", "past_due"):
        return None
    overdue = db.session.scalars(sa.select(Invoice).where(
        Invoice.subscription_id == subscription.id, Invoice.status == "open", Invoice.due_at < now(),
    ).order_by(Invoice.due_at)).first()
    if overdue is None:
        return None
    if subscription.status == "active":
        transition(subscription, "past_due", actor=ACTOR, reason=f"invoice {overdue.number} overdue")
    week = (now() - subscription.past_due_since).days // 7
    return _remind(subscription, "payment_due", f"w{week}", invoice=overdue)


def _suspend(subscription):
    if subscription.status != "past_due" or not _manual(subscription):
        return None
    grace = timedelta(days=current_app.config["BILLING_GRACE_DAYS"])
    if now() < subscription.past_due_since + grace:
        return None
    transition(subscription, "suspended", actor=ACTOR,
               reason=f"payment overdue for more than {grace.days} days")
    _remind(subscription, "suspended", now().date().isoformat())
    return "suspended"


def _canceled(subscription):
    if subscription.status != "canceled":
        return None
    if subscription.export_offered_at is None:
        subscription.export_offered_at = now()
        _remind(subscription, "export_offer", "once")
        return "export_offered"
    if purge_refusal(subscription) is None:
        transition(subscription, "purged", actor=ACTOR, reason="retention period over")
        return "purged"
    return None


def _remind(subscription, kind: str, key: str, invoice=None):
    """Send the `kind` reminder unless it was already sent for `key`."""
    table = BillingReminder.__table__
    sent = db.session.execute(
        pg_insert(table).values(subscription_id=subscription.id, kind=kind, day=key[:10])
        .on_conflict_do_nothing(constraint="uq_billing_reminders_once").returning(table.c.id)
    ).first()
    if sent is None or not subscription.billing_email:
        return None
    from billing.invoices import _locale_of

    with force_locale(_locale_of(subscription)):
        text = render_template("billing/mail_reminder.txt", kind=kind, subscription=subscription,
                               invoice=invoice, base_url=current_app.config["BASE_URL"],
                               retention_days=current_app.config["BILLING_RETENTION_DAYS"])
        mail.send_after_commit(subscription.billing_email, str(SUBJECTS[kind]), text)
    return f"reminder_{kind}"


SUBJECTS = {
    "trial_ending": _l("Your Kehu CRM trial ends soon"),
    "payment_due": _l("Payment due for your Kehu CRM subscription"),
    "suspended": _l("Your Kehu CRM workspace is suspended"),
    "export_offer": _l("Your Kehu CRM workspace is canceled: export your data"),
}
