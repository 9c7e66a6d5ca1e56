"""Provider console services: the tenants list query and audited actions on a tenant."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.provider.models import ProviderAudit
from billing import changes, invoices, plans, seats, subscriptions
from billing.invoice_models import Invoice
from billing.models import Plan, Subscription
from tenants.models import Tenant

PAGE_SIZE = 25
SORTS = {"created": Tenant.created_at.desc(), "name": Tenant.name, "slug": Tenant.slug,
         "status": Subscription.status}


class ActionRefused(ValueError):
    pass


@dataclass
class TenantFilters:
    q: str = ""
    status: str = ""
    plan: str = ""
    currency: str = ""
    since: date | None = None
    until: date | None = None
    sort: str = "created"
    page: int = 1


def tenant_rows(f: TenantFilters):
    """(rows of (Tenant, Subscription|None, Plan|None), total count) for one page."""
    query = (sa.select(Tenant, Subscription, Plan).where(Tenant.status != "pooled")
             .outerjoin(Subscription, Subscription.tenant_id == Tenant.id)
             .outerjoin(Plan, Plan.id == Subscription.plan_id))
    if f.q:
        pattern = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(Tenant.slug.ilike(pattern), Tenant.name.ilike(pattern)))
    if f.status:
        query = query.where(Subscription.status == f.status)
    if f.plan:
        query = query.where(Plan.key == f.plan)
    if f.currency:
        query = query.where(Tenant.currency == f.currency)
    if f.since:
        query = query.where(Tenant.created_at >= f.since)
    if f.until:
        query = query.where(Tenant.created_at < sa.func.date(f.until) + 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    query = query.order_by(SORTS.get(f.sort, SORTS["created"]), Tenant.id)
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE)).all()
    return rows, total


def audit(staff, action: str, tenant_id: int | None, detail: str) -> None:
    db.session.add(ProviderAudit(provider_user_id=staff.id, actor_email=staff.email, action=action,
                                 tenant_id=tenant_id, detail=detail[:1000]))
    db.session.flush()


def audit_trail(tenant_id: int) -> list[ProviderAudit]:
    return list(db.session.scalars(sa.select(ProviderAudit).where(ProviderAudit.tenant_id == tenant_id)
                                   .order_by(ProviderAudit.id.desc()).limit(100)))


def _invoice(subscription: Subscription, form) -> Invoice:
    raw = form.get("invoice_id", "")
    invoice = db.session.get(Invoice, int(raw)) if raw.isdigit() else None
    if invoice is None or invoice.subscription_id != subscription.id:
        raise ActionRefused(_("No such invoice for this tenant."))
    return invoice


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        raise ActionRefused(_("Enter an amount such as 100.00."))
    if not value.is_finite() or value <= 0 or value > Decimal("1000000"):
        raise ActionRefused(_("Enter an amount such as 100.00."))
    return value.quantize(Decimal("0.01"))


def perform(action: str, tenant: Tenant, subscription: Subscription, staff, form) -> str:
    """Run one console action; returns what happened (also written to the audit trail)."""
    actor, reason = f"provider:{staff.email}", form.get("reason", "").strip()[:300]
    try:
        detail = _run(action, tenant, subscription, form, actor, reason)
    except (subscriptions.SubscriptionError, invoices.InvoiceError, changes.PlanChangeRefused,
            plans.PlanError, seats.SeatChangeRefused) as exc:
        raise ActionRefused(str(exc)) from exc
    audit(staff, action, tenant.id, f"{detail}; reason: {reason}")
    return detail


def _run(action, tenant, subscription, form, actor, reason) -> str:
    if action == "extend_trial":
        days = int(form.get("days", "0")) if form.get("days", "").isdigit() else 0
        return f"trial extended to {subscriptions.extend_trial(subscription, days):%Y-%m-%d}"
    if action == "change_plan":
        plan = plans.plan_by_key(form.get("plan", ""))
        if plan is None:
            raise ActionRefused(_("Please choose one of the plans offered."))
        changes.change_plan(subscription, tenant, plan, form.get("interval", subscription.interval), actor=actor)
        return f"plan changed to {plan.key}/{subscription.interval}"
    if action == "extra_seats":
        old, new = subscription.extra_seats, seats.parse_extra_seats(form.get("extra_seats"))
        invoice = seats.change_extra_seats(subscription, tenant, new, actor=actor)
        return f"extra users {old} → {new}" + (f"; invoice {invoice.number}" if invoice else "")
    if action == "credit":
        amount = _decimal(form.get("amount", ""))
        subscription.credit_balance += amount
        return f"credit {amount} {subscription.currency}"
    if action == "mark_paid":
        invoice = _invoice(subscription, form)
        invoices.mark_paid(invoice, method="bank_transfer", actor=actor, reference=form.get("reference", ""))
        return f"invoice {invoice.number} marked paid"
    if action == "void":
        invoice = _invoice(subscription, form)
        invoices.void(invoice)
        return f"invoice {invoice.number} voided"
    if action in ("suspend", "reactivate"):
        target = "suspended" if action == "suspend" else "active"
        subscriptions.move(subscription, target, actor=actor, reason=reason or action)
        return f"subscription {target}"
    if action == "cancel":
        at_end = form.get("when") == "period_end"
        subscriptions.cancel(subscription, at_period_end=at_end, actor=actor, reason=reason or "canceled by provider")
        return "cancel at period end" if at_end else "canceled now"
    raise ActionRefused(_("Unknown action."))
