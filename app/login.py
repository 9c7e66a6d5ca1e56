"""Flask-Login wiring shared by tenant users and provider staff.

The session id names its area: "t:<tenant id>:<user id>:<version>:<session key>"
for a tenant user, "p:<id>:<version>" for provider staff. A tenant user is loaded
only inside the workspace of the tenant the session was made for, so the same
cookie opens nothing in another tenant; a bumped session_version (password
change, deactivation) ends every older session, and a tenant session loads only
while its user_sessions row exists (app/auth/sessions.py: log-out deletes it).
Provider staff log-out bumps their session_version.

One exception, support impersonation (app/provider/impersonation.py): a "p:"
session opens a workspace only as the user its impersonation record names,
read-only, and only in that record's tenant.
"""
from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import db


def session_id_for(user) -> str:
    from app.provider.models import ProviderUser
    from tenants.context import require_tenant

    if isinstance(user, ProviderUser):
        return f"p:{user.id}:{user.session_version}"
    key = getattr(user, "session_key", None)
    if not key:
        raise RuntimeError("tenant users log in through app.auth.sessions.start()")
    return f"t:{require_tenant().id}:{user.id}:{user.session_version}:{key}"


def load_user(session_id: str):
    from app.auth import sessions
    from app.auth.models import User
    from app.provider.models import ProviderUser
    from tenants.context import current_tenant

    parts = session_id.split(":")
    area = request.blueprint or ""
    try:
        if parts[0] == "t" and len(parts) == 5 and area.startswith("workspace"):
            tenant = current_tenant()
            if tenant is None or tenant.id != int(parts[1]):
                return None
            user, version = db.session.get(User, int(parts[2])), int(parts[3])
            if user is None or sessions.find(user.id, parts[4]) is None:
                return None
            user.session_key = parts[4]
        elif parts[0] == "p" and len(parts) == 3 and area.startswith("provider"):
            user, version = db.session.get(ProviderUser, int(parts[1])), int(parts[2])
        elif parts[0] == "p" and len(parts) == 3 and area.startswith("workspace"):
            from app.provider.impersonation import impersonated_user

            return impersonated_user(int(parts[1]), int(parts[2]))
        else:
            return None
    except ValueError:
        return None
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _unauthorized():
    flash(_l("Please log in to see this page."), "info")
    area = request.blueprint or ""
    if area.startswith("workspace"):
        return redirect(url_for("workspace.auth.login", next=request.full_path))
    if area.startswith("provider"):
        return redirect(url_for("provider.login", next=request.full_path))
    return redirect(url_for("site.home"))


def configure_login(login_manager) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "basic"
