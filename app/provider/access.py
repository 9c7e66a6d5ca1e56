"""The one permission check of the provider console: which roles may do what."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

# action → roles allowed; viewing needs only a login.
ACTION_ROLES = {
    "extend_trial": ("owner", "billing", "support"),
    "change_plan": ("owner", "billing"),
    "extra_seats": ("owner", "billing"),
    "credit": ("owner", "billing"),
    "mark_paid": ("owner", "billing"),
    "void": ("owner", "billing"),
    "suspend": ("owner", "billing"),
    "reactivate": ("owner", "billing"),
    "cancel": ("owner",),
    "edit_plans": ("owner",),
    "edit_rates": ("owner",),
    "impersonate": ("owner", "support"),
    "export": ("owner", "support"),
    "resolve_flags": ("owner", "billing"),
    "edit_bank_accounts": ("owner", "billing"),
    "retry_jobs": ("owner", "billing", "support"),
}


def allowed(action: str) -> bool:
    return current_user.is_authenticated and current_user.role in ACTION_ROLES.get(action, ())


def staff_required(view):
    """Logged-in provider staff only (tenant users never get here: their session is refused)."""
    @login_required
    @wraps(view)
    def wrapper(*args, **kwargs):
        from app.provider.models import ProviderUser
        if not isinstance(current_user._get_current_object(), ProviderUser):
            abort(403)
        return view(*args, **kwargs)
    return wrapper
