"""Request → tenant, once per request, from the /t/<slug>/ prefix.

The slug is looked up in the registry; only the registry's schema name is
ever used. Unknown or pooled slugs are a 404; a suspended or canceled tenant
gets an explanation page instead of the workspace.
"""
import sqlalchemy as sa
from flask import Blueprint, abort, g, render_template, request

from app.extensions import db
from tenants.context import activate, current_tenant
from tenants.models import Tenant
from tenants.schema_names import SLUG

# Endpoints a blocked tenant's staff may still reach: a suspended tenant can log
# in, pay and (once the module exists) export; a canceled one can read its invoices.
OPEN_WHEN_BLOCKED = {"workspace.auth.login", "workspace.auth.logout",
                     "workspace.billing.overview", "workspace.billing.invoice",
                     "workspace.documents.invoice_pdf"}
OPEN_WHEN_SUSPENDED = OPEN_WHEN_BLOCKED | {
    "workspace.billing.pay", "workspace.billing.pay_invoice", "workspace.billing.portal",
}


def workspace_blueprint() -> Blueprint:
    bp = Blueprint("workspace", __name__, url_prefix="/t/<tenant_slug>")

    @bp.url_value_preprocessor
    def resolve_tenant(_endpoint, values):
        slug = values.pop("tenant_slug", "")
        tenant = find_active_or_blocked(slug)
        if tenant is None:
            abort(404)
        g.tenant = tenant
        activate(tenant)

    @bp.url_defaults
    def add_tenant_slug(_endpoint, values):
        # From the tenant context, so a job inside tenant_scope builds its links too.
        tenant = current_tenant()
        if "tenant_slug" not in values and tenant is not None:
            values["tenant_slug"] = tenant.slug

    @bp.before_request
    def refuse_blocked_tenant():
        tenant = g.tenant
        open_endpoints = OPEN_WHEN_SUSPENDED if tenant.status == "suspended" else OPEN_WHEN_BLOCKED
        if tenant.status != "active" and request.endpoint not in open_endpoints:
            return render_template("workspace/blocked.html", tenant=tenant), 403

    return bp


def find_active_or_blocked(slug: str) -> Tenant | None:
    if not SLUG.match(slug or ""):
        return None
    return db.session.scalars(
        sa.select(Tenant).where(Tenant.slug == slug, Tenant.status != "pooled")
    ).first()
