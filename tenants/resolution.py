"""Request → tenant, once per request, from the /t/<slug>/ prefix.

The slug is looked up in the registry; only the registry's schema name is
ever used. Unknown or pooled slugs are a 404; a suspended or canceled tenant
gets an explanation page instead of the workspace.
"""
from dataclasses import dataclass

from flask import Blueprint, abort, g, render_template, request

from tenants.context import current_tenant, enter_workspace
from tenants.schema_names import SLUG

# Endpoints a blocked tenant's staff may still reach. Logging in includes the second
# factor and a forgotten password (an admin must be able to get in to pay or read
# invoices); a suspended tenant can also pay and export its data, a canceled one
# can read its invoices (its export is offered by e-mail, docs/BILLING.md).
OPEN_WHEN_BLOCKED = {"workspace.auth.login", "workspace.auth.logout", "workspace.auth.second_factor",
                     "workspace.auth.forgot_password", "workspace.auth.reset_password",
                     "workspace.billing.overview", "workspace.billing.invoice",
                     "workspace.documents.invoice_pdf"}
OPEN_WHEN_SUSPENDED = OPEN_WHEN_BLOCKED | {
    "workspace.billing.pay", "workspace.billing.pay_invoice", "workspace.billing.portal",
    "workspace.export.index", "workspace.export.start", "workspace.export.status",
    "workspace.export.download",
}


def workspace_blueprint() -> Blueprint:
    bp = Blueprint("workspace", __name__, url_prefix="/t/<tenant_slug>")

    @bp.url_value_preprocessor
    def resolve_tenant(_endpoint, values):
        slug = values.pop("tenant_slug", "")
        tenant = enter(slug)
        if tenant is None:
            abort(404)
        g.tenant = tenant

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


@dataclass(frozen=True)
class RegistryEntry:
    """A workspace's registry row as read at the start of this request (read-only)."""

    id: int
    slug: str
    name: str
    schema_name: str
    status: str
    locale: str
    time_zone: str
    currency: str
    files_key: str

    @property
    def is_usable(self) -> bool:
        return self.status == "active"


def enter(slug: str) -> RegistryEntry | None:
    """The workspace of `slug`, made current for this request (None: unknown or pooled)."""
    if not SLUG.match(slug or ""):
        return None
    row = enter_workspace(slug)
    return RegistryEntry(**row) if row is not None else None
