"""The one rule for files handed out while provider staff impersonate a tenant user.

Impersonation is read-only, and reading includes files: staff may open and download
what the user they view as may (a quote PDF, an attachment, a list export), since
that is how a reported problem is reproduced. What they never take is the whole
workspace: the full data export stays refused (app/provider/impersonation.py
REFUSED_GETS); the console's export mails it to the tenant's owner instead.
Every download while impersonating is written to the provider audit log and to the
tenant's own audit log, in the transaction that serves it (so it is kept exactly
when the file is delivered). Every helper that answers with a file calls
`handed_out`; tests/provider/test_impersonation_downloads.py walks every workspace
route to hold that in place.
"""
from flask import g, request
from flask_login import current_user

ACTION = "impersonation_download"


def handed_out(kind: str, name: str, tenant_entry: bool = True) -> None:
    """Record a file leaving the workspace if provider staff are impersonating; else nothing.
    tenant_entry=False: the caller already writes its own entry in the tenant's audit log."""
    staff = g.get("impersonator")
    if staff is None:
        return
    from app.audit import services as audit
    from app.provider import console
    from tenants.context import require_tenant

    viewed_as = getattr(current_user, "email", "")
    console.audit(staff, ACTION, require_tenant().id,
                  f"{kind} {name} ({request.full_path.rstrip('?')}) while viewing as {viewed_as}")
    if tenant_entry:
        audit.record(ACTION, record_type=kind, details={"file": name, "path": request.path})
