"""Subscription services: start a trial, cancel and undo, extend a trial, find by tenant."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from billing import plans as plan_service
from billing.clock import now
from billing.models import CURRENCIES, INTERVALS, Plan, Subscription
from billing.gateways import gateway_for
from billing.states import IllegalTransition, record_change, record_start, transition

LIVE = ("trialing", "active", "past_due", "suspended")


class SubscriptionError(ValueError):
    pass


def for_tenant(tenant_id: int) -> Subscription | None:
    return db.session.scalars(
        sa.select(Subscription).where(Subscription.tenant_id == tenant_id)
    ).first()


def gateway_name() -> str:
    return "stripe" if current_app.config.get("STRIPE_SECRET_KEY") else "manual"


def start_trial(tenant, plan: Plan, currency: str, interval: str, *, actor: str,
                billing_email: str = "", billing_name: str = "") -> Subscription:
    """A new tenant's subscription: trialing on `plan` for the Trial plan's number of days."""
    if currency not in CURRENCIES or interval not in INTERVALS:
        raise SubscriptionError("unknown currency or billing interval")
    plan_service.price_of(plan, currency, interval)  # refuses a plan without this price
    trial = plan_service.trial_plan()
    days = trial.trial_days if trial is not None else 14
    started = now()
    subscription = Subscription(
        tenant_id=tenant.id, tenant_slug=tenant.slug, plan=plan, currency=currency,
        interval=interval, status="trialing", gateway=gateway_name(),
        billing_email=billing_email, billing_name=billing_name or tenant.name,
        trial_ends_at=started + timedelta(days=days),
        current_period_start=started, current_period_end=started + timedelta(days=days),
    )
    db.session.add(subscription)
    db.session.flush()
    record_start(subscription, actor=actor, reason=f"sign-up, {days}-day trial")
    return subscription


def effective_plan(subscription: Subscription) -> Plan:
    """The plan whose limits apply now: the Trial plan while trialing, the chosen plan after."""
    if subscription.status == "trialing":
        return plan_service.trial_plan() or subscription.plan
    return subscription.plan


def limits_now(subscription: Subscription) -> plan_service.Limits:
    """The limits that apply now: the effective plan's, with the extra seats bought on top."""
    return plan_service.limits_of(effective_plan(subscription), subscription.extra_seats)


def extend_trial(subscription: Subscription, days: int) -> datetime:
    if subscription.status != "trialing":
        raise SubscriptionError("only a trial can be extended")
    if not 1 <= days <= 90:
        raise SubscriptionError("extend by 1 to 90 days")
    subscription.trial_ends_at = subscription.trial_ends_at + timedelta(days=days)
    subscription.current_period_end = subscription.trial_ends_at
    db.session.flush()
    return subscription.trial_ends_at


def cancel(subscription: Subscription, *, at_period_end: bool, actor: str, reason: str = "") -> None:
    """Cancel now (the workspace closes) or at the end of the paid period (undo possible)."""
    if subscription.status not in LIVE:
        raise SubscriptionError("this subscription is already canceled")
    # The payment service is told first: if it cannot be reached (GatewayUnavailable),
    # nothing has changed here either.
    gateway = gateway_for(subscription)
    if at_period_end and subscription.status in ("active", "trialing"):
        note = gateway.set_cancel_at_period_end(subscription, True)
        subscription.cancel_at_period_end = True
        record_change(subscription, actor=actor, reason=f"{reason or 'cancel'} at period end; {note}")
        return
    note = gateway.cancel_now(subscription)
    transition(subscription, "canceled", actor=actor, reason=f"{reason or 'canceled'}; {note}")


def undo_cancel(subscription: Subscription, *, actor: str = "tenant") -> None:
    if not subscription.cancel_at_period_end:
        raise SubscriptionError("no cancellation is pending")
    note = gateway_for(subscription).set_cancel_at_period_end(subscription, False)
    subscription.cancel_at_period_end = False
    record_change(subscription, actor=actor, reason=f"cancellation undone; {note}")


def move(subscription: Subscription, to_status: str, *, actor: str, reason: str) -> None:
    """transition() with the refusal turned into a SubscriptionError for forms and the CLI."""
    try:
        transition(subscription, to_status, actor=actor, reason=reason)
    except IllegalTransition as exc:
        raise SubscriptionError(str(exc)) from exc
