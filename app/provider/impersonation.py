"""Support impersonation: provider staff see a tenant's workspace as one of its users, read-only.

How it sits on the sessions of app/login.py: the staff member stays logged in
as "p:<id>:<version>" (the only id Flask-Login keeps). Starting adds
session["impersonation"] = {tenant, user, staff, until}. In a workspace, a "p:"
session loads the named tenant user only while that record matches the
current tenant, the same staff member (active, same session version, a role
allowed to impersonate) and has not expired; anywhere else it opens nothing.
The staff member is then g.impersonator: the workspace shows a banner naming
them, and every request that could change something is refused. Stopping (or
logging out of the console) drops the record; the staff session stays.
"""
import time

import sqlalchemy as sa
from flask import current_app, g, render_template, request, session
from flask_login import current_user

from app.extensions import db

SESSION_KEY = "impersonation"
ROLES = ("owner", "support")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# GETs that still act: a Stripe portal session can change payment details; a download
# hands the tenant's data out (the console's export mails it to the tenant's owner instead).
REFUSED_GETS = {"workspace.billing.portal", "workspace.export.download"}


class ImpersonationError(ValueError):
    """Refused, with a message for the staff member."""


def tenant_users(tenant) -> list:
    """(id, name, e-mail, role name) of the tenant's active users, for choosing whom to view as."""
    from app.access.models import Role
    from app.auth.models import User
    from tenants.context import tenant_scope

    with tenant_scope(tenant):
        rows = db.session.execute(sa.select(User.id, User.name, User.email, Role.name)
                                  .join(Role, Role.id == User.role_id)
                                  .where(User.active).order_by(User.name)).all()
    return [tuple(row) for row in rows]


def start(staff, tenant, user_id: int) -> tuple:
    """Begin viewing tenant as user_id; returns the chosen (id, name, e-mail, role)."""
    if staff.role not in ROLES:
        raise ImpersonationError("only owner and support staff may impersonate")
    chosen = next((row for row in tenant_users(tenant) if row[0] == user_id), None)
    if chosen is None:
        raise ImpersonationError("no such active user in this workspace")
    minutes = current_app.config["IMPERSONATION_MINUTES"]
    session[SESSION_KEY] = {"tenant": tenant.id, "user": user_id, "staff": staff.id,
                            "until": int(time.time()) + 60 * minutes}
    return chosen


def active() -> dict | None:
    """The impersonation record of this browser session, if any."""
    return session.get(SESSION_KEY)


def stop() -> dict | None:
    return session.pop(SESSION_KEY, None)


def impersonated_user(staff_id: int, version: int):
    """For app.login in a workspace: the tenant user a "p:" session views as, or None."""
    from app.auth.models import User
    from app.provider.models import ProviderUser
    from tenants.context import current_tenant

    record, tenant = active(), current_tenant()
    if (not record or tenant is None or record.get("tenant") != tenant.id
            or record.get("staff") != staff_id or record.get("until", 0) < time.time()):
        return None
    staff = db.session.get(ProviderUser, staff_id)
    if staff is None or not staff.active or staff.session_version != version or staff.role not in ROLES:
        return None
    user = db.session.get(User, record.get("user"))
    if user is None or not user.active:
        return None
    g.impersonator = staff
    return user


def register(app) -> None:
    @app.before_request
    def refuse_changes_while_impersonating():
        """Read-only: while impersonating, nothing in the workspace may change."""
        if not (request.blueprint or "").startswith("workspace"):
            return None
        if request.method in SAFE_METHODS and request.endpoint not in REFUSED_GETS:
            return None
        if not current_user.is_authenticated or g.get("impersonator") is None:
            return None
        return render_template("workspace/read_only.html"), 403
