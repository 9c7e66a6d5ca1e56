"""Billing events set aside for provider staff: money that moved where it should not have.

A Stripe event about a Stripe subscription other than the one linked (a second
subscription would bill the tenant twice), or a card payment for an invoice that
was already paid, is never applied: it is flagged here, shown in the console
(Provider console → Flagged payments), and a person refunds or cancels in Stripe.
"""
import sqlalchemy as sa

from app.extensions import db
from billing.clock import now
from billing.models import BillingFlag

KINDS = ("other_subscription", "paid_twice")


def flag(kind: str, *, subscription_id: int | None, event_id: str | None, reference: str,
         detail: str) -> BillingFlag:
    found = BillingFlag(kind=kind, subscription_id=subscription_id, stripe_event_id=event_id,
                        reference=(reference or "")[:120], detail=detail[:500])
    db.session.add(found)
    db.session.flush()
    return found


def open_flags() -> list[BillingFlag]:
    return list(db.session.scalars(sa.select(BillingFlag).where(
        BillingFlag.resolved_at.is_(None)).order_by(BillingFlag.id.desc())))


def resolve(found: BillingFlag, actor: str) -> None:
    found.resolved_at, found.resolved_by = now(), actor[:120]
    db.session.flush()
