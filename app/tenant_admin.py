"""Who may use the tenant's admin pages (audit log, export, branding).

One function, so the real permission check (roles and permissions, issue 4)
can replace it in one place.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

ADMIN_ROLE_KEYS = ("owner", "admin")


def is_tenant_admin(user) -> bool:
    """True for a signed-in tenant user whose role administers the tenant."""
    if not getattr(user, "is_authenticated", False):
        return False
    role = getattr(user, "role", None)
    return role is not None and role.key in ADMIN_ROLE_KEYS


def admin_required(view):
    """Log in first, then 403 unless the user is a tenant admin."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_tenant_admin(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped
