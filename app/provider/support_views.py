"""Provider console: support actions on a tenant — impersonate a user (read-only), export its data."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.provider import console, impersonation
from app.provider.access import allowed, staff_required
from app.provider.tenant_export import ExportRefused, start_export
from app.provider.tenant_views import _load, _tenant_page
from app.provider.blueprint import bp


def _confirmed() -> bool:
    return request.form.get("confirm") == "yes" and bool(request.form.get("reason", "").strip())


def _reason() -> str:
    return request.form.get("reason", "").strip()[:300]


def _refuse(tenant, subscription, message):
    return _tenant_page(tenant, subscription, 422, message)


@bp.post("/tenants/<int:tenant_id>/impersonate")
@staff_required
def impersonate(tenant_id):
    tenant, subscription = _load(tenant_id)
    if not allowed("impersonate"):
        abort(403)
    if not _confirmed():
        return _refuse(tenant, subscription, _("Tick the confirmation box and give a reason; nothing was changed."))
    raw = request.form.get("user_id", "")
    try:
        user_id, name, email, _role = impersonation.start(current_user, tenant, int(raw) if raw.isdigit() else 0)
    except impersonation.ImpersonationError:
        return _refuse(tenant, subscription, _("Choose an active user of this workspace."))
    console.audit(current_user, "impersonate", tenant.id,
                  f"viewing as {email} (user {user_id}), read-only; reason: {_reason()}")
    return redirect(url_for("workspace.myday.home", tenant_slug=tenant.slug))


@bp.post("/impersonation/stop")
@staff_required
def stop_impersonating():
    record = impersonation.stop()
    if record is None:
        return redirect(url_for("provider.tenants"))
    console.audit(current_user, "impersonate_end", record.get("tenant"), f"stopped viewing as user {record.get('user')}")
    flash(_("You are no longer viewing the workspace."), "info")
    return redirect(url_for("provider.tenant", tenant_id=record.get("tenant")))


@bp.post("/tenants/<int:tenant_id>/export")
@staff_required
def export(tenant_id):
    tenant, subscription = _load(tenant_id)
    if not allowed("export"):
        abort(403)
    if not _confirmed():
        return _refuse(tenant, subscription, _("Tick the confirmation box and give a reason; nothing was changed."))
    try:
        number, email = start_export(tenant)
    except ExportRefused as refusal:
        return _refuse(tenant, subscription, str(refusal))
    console.audit(current_user, "export", tenant.id, f"export {number} started, link mailed to {email}; reason: {_reason()}")
    flash(_("Export %(number)d is being built; the download link goes to %(email)s.", number=number, email=email), "success")
    return redirect(url_for("provider.tenant", tenant_id=tenant.id))
