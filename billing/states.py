"""The subscription state machine: one transition function, refusing illegal moves.

    trialing → active → past_due → suspended → active (on payment)
    any live state → canceled (immediately, or at period end) → purged
    (after the retention period, and only once an export was offered)

Every transition is written to subscription_transitions (who/what, when, why)
and the tenant's registry status follows: suspended and canceled block the
workspace, purged drops the tenant's schema.
"""
from datetime import timedelta

from flask import current_app

from app.extensions import db
from billing.clock import now
from billing.models import Subscription, SubscriptionTransition

ALLOWED = {
    "trialing": {"active", "past_due", "canceled"},
    "active": {"past_due", "canceled"},
    "past_due": {"active", "suspended", "canceled"},
    "suspended": {"active", "canceled"},
    "canceled": {"purged"},
    "purged": set(),
}
# What the tenant registry says for each subscription status.
TENANT_STATUS = {
    "trialing": "active", "active": "active", "past_due": "active",
    "suspended": "suspended", "canceled": "canceled",
}


class IllegalTransition(ValueError):
    """The subscription cannot move from its status to the one asked for."""


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, set())


def purge_refusal(subscription: Subscription) -> str | None:
    """Why a canceled subscription may not be purged yet, or None."""
    if subscription.export_offered_at is None:
        return "no data export has been offered to the tenant yet"
    retention = timedelta(days=current_app.config["BILLING_RETENTION_DAYS"])
    if subscription.canceled_at is None or now() < subscription.canceled_at + retention:
        return "the retention period has not ended"
    return None


def transition(subscription: Subscription, to_status: str, *, actor: str, reason: str = "") -> None:
    """Move subscription to to_status, record it, keep the tenant registry in step; flushes."""
    from_status = subscription.status
    if not can_move(from_status, to_status):
        raise IllegalTransition(f"{from_status} → {to_status} is not allowed")
    if to_status == "purged":
        refusal = purge_refusal(subscription)
        if refusal:
            raise IllegalTransition(f"cannot purge: {refusal}")
    _apply_side_effects(subscription, to_status)
    subscription.status = to_status
    db.session.add(SubscriptionTransition(
        subscription=subscription, from_status=from_status, to_status=to_status,
        actor=actor[:120], reason=reason[:500],
    ))
    db.session.flush()
    _sync_tenant(subscription)


def record_start(subscription: Subscription, *, actor: str, reason: str) -> None:
    """The first history row of a new subscription (no from-status)."""
    db.session.add(SubscriptionTransition(
        subscription=subscription, from_status=None, to_status=subscription.status,
        actor=actor[:120], reason=reason[:500],
    ))
    db.session.flush()


def record_change(subscription: Subscription, *, actor: str, reason: str) -> None:
    """A history row for a change that keeps the status (a plan or seat change)."""
    db.session.add(SubscriptionTransition(
        subscription=subscription, from_status=subscription.status, to_status=subscription.status,
        actor=actor[:120], reason=reason[:500],
    ))
    db.session.flush()


def _apply_side_effects(subscription: Subscription, to_status: str) -> None:
    at = now()
    if to_status == "past_due":
        subscription.past_due_since = at
    elif to_status == "active":
        subscription.past_due_since = None
    elif to_status == "canceled":
        subscription.canceled_at = at
        subscription.cancel_at_period_end = False


def _sync_tenant(subscription: Subscription) -> None:
    from tenants.models import Tenant
    from tenants.provisioning import drop_tenant

    tenant = db.session.get(Tenant, subscription.tenant_id) if subscription.tenant_id else None
    if tenant is None:
        return
    if subscription.status == "purged":
        drop_tenant(tenant)
        subscription.tenant_id = None
        db.session.flush()
        return
    tenant.status = TENANT_STATUS[subscription.status]
    db.session.flush()
