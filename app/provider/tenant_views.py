"""Provider console: the tenants list and one tenant's page with its confirmed, audited actions."""
from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents import services as documents
from app.extensions import db
from app.provider import console, impersonation
from app.provider.access import ACTION_ROLES, allowed, staff_required
from app.provider.blueprint import bp
from billing import invoices, plans, subscriptions
from billing.gateways import GatewayRefused, GatewayUnavailable
from billing.models import CURRENCIES, SUBSCRIPTION_STATUSES
from billing.usage import usage_of
from tenants.context import tenant_scope
from tenants.models import Tenant


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _filters() -> console.TenantFilters:
    args = request.args
    page = args.get("page", "1")
    return console.TenantFilters(
        q=args.get("q", "").strip()[:100],
        status=args.get("status", "") if args.get("status") in SUBSCRIPTION_STATUSES else "",
        plan=args.get("plan", "")[:32], currency=args.get("currency", "") if args.get("currency") in CURRENCIES else "",
        since=_date(args.get("since")), until=_date(args.get("until")),
        sort=args.get("sort", "created") if args.get("sort") in console.SORTS else "created",
        page=int(page) if page.isdigit() and 0 < int(page) < 100000 else 1,
    )


@bp.get("/")
@staff_required
def tenants():
    filters = _filters()
    rows, total = console.tenant_rows(filters)
    pooled = db.session.scalar(sa.select(sa.func.count()).where(Tenant.status == "pooled"))
    pages = max(1, -(-total // console.PAGE_SIZE))
    return render_template("provider/tenants.html", rows=rows, total=total, pooled=pooled, f=filters,
                           pages=pages, statuses=SUBSCRIPTION_STATUSES, currencies=CURRENCIES,
                           plans=plans.public_plans())


def _load(tenant_id: int):
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None or tenant.status == "pooled":
        abort(404)
    return tenant, subscriptions.for_tenant(tenant.id)


def _tenant_page(tenant, subscription, status=200, error=None):
    return render_template(
        "provider/tenant.html", tenant=tenant, subscription=subscription, error=error,
        invoices=invoices.invoices_of(subscription.id) if subscription else [],
        usage=usage_of(tenant), audit=console.audit_trail(tenant.id), plans=plans.paid_plans(),
        limits=subscriptions.limits_now(subscription) if subscription else None,
        allowed=allowed, users=impersonation.tenant_users(tenant) if allowed("impersonate") else [],
    ), status


@bp.get("/tenants/<int:tenant_id>")
@staff_required
def tenant(tenant_id):
    return _tenant_page(*_load(tenant_id))


@bp.get("/tenants/<int:tenant_id>/invoices/<int:invoice_id>/pdf")
@staff_required
def invoice_pdf(tenant_id, invoice_id):
    """The tenant's invoice as the tenant admin downloads it (every staff role may read invoices)."""
    tenant, subscription = _load(tenant_id)
    invoice = invoices.issued_invoice_of(subscription, invoice_id) if subscription else None
    if invoice is None:
        abort(404)
    with tenant_scope(tenant):
        data, filename = documents.invoice_file(invoice, tenant)
    return documents.send_pdf(data, filename)


@bp.post("/tenants/<int:tenant_id>/actions/<action>")
@staff_required
def tenant_action(tenant_id, action):
    tenant, subscription = _load(tenant_id)
    if action not in ACTION_ROLES or subscription is None:
        abort(404)
    if not allowed(action):
        abort(403)
    if request.form.get("confirm") != "yes" or not request.form.get("reason", "").strip():
        return _tenant_page(tenant, subscription, 422,
                            _("Tick the confirmation box and give a reason; nothing was changed."))
    try:
        console.perform(action, tenant, subscription, current_user, request.form)
    except console.ActionRefused as exc:
        return _tenant_page(tenant, subscription, 422, str(exc))
    except GatewayRefused as exc:  # logged by the gateway; staff see Stripe's own words
        return _tenant_page(tenant, subscription, 502, _("Stripe refused the request, nothing was changed: %(error)s", error=str(exc)))
    except GatewayUnavailable:
        return _tenant_page(tenant, subscription, 503, _("The payment service cannot be reached right now. Nothing was charged; please try again in a few minutes."))
    flash(_("Done."), "success")
    return redirect(url_for("provider.tenant", tenant_id=tenant.id))
