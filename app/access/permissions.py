"""The one permission check: `can` for services, `requires` for views.

Every workspace view declares who may open it with exactly one of
`requires(module, action)`, `signed_in` or `public`; the permission matrix
test (tests/access/test_matrix.py) fails for a view that declares nothing.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

PERMISSION_ATTR = "kehu_permission"
PUBLIC = "public"
SIGNED_IN = "signed_in"


def can(user, module: str, action: str) -> bool:
    """Whether user's role grants action on module (inactive or anonymous users: never)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.role.allows(module, action)


def _declare(view, permission):
    setattr(view, PERMISSION_ATTR, permission)
    return view


def requires(module: str, action: str):
    """View decorator: log in first, then 403 unless the user's role grants module/action."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not can(current_user, module, action):
                abort(403)
            return view(*args, **kwargs)

        return _declare(login_required(checked), (module, action))

    return decorate


def signed_in(view):
    """View decorator: any logged-in user of the tenant (their own profile, the dashboard)."""
    return _declare(login_required(view), SIGNED_IN)


def public(view):
    """View decorator: open without logging in (log in, password reset, invitation)."""
    return _declare(view, PUBLIC)


def declared_permission(view):
    return getattr(view, PERMISSION_ATTR, None)
