"""Changes a user makes to their own account. Flush, never commit."""
from flask_babel import lazy_gettext as _l

from app.auth import twofactor
from app.auth.models import User
from app.auth.passwords import verify_password
from app.auth.services import set_password
from app.extensions import db


class ProfileError(ValueError):
    """A refused change; the message is for the user."""


def update_profile(user: User, name: str, phone: str | None, locale: str | None,
                   time_zone: str | None, signature: str | None) -> None:
    user.name = name.strip()
    user.phone = (phone or "").strip() or None
    user.locale = locale or None
    user.time_zone = time_zone or None
    user.signature = (signature or "").strip() or None
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """New password after checking the current one; the user's other sessions end."""
    if not verify_password(user.password_hash, current):
        raise ProfileError(_l("Your current password is not right."))
    set_password(user, new)
    db.session.flush()


def enable_two_factor(user: User, secret: str, code: str) -> list[str]:
    """Turn TOTP on once the app proves it has the secret; return the recovery codes."""
    if not twofactor.code_matches(secret, code):
        raise ProfileError(_l("That code is not right. Check the time on your phone and try again."))
    return twofactor.enable(user, secret)


def disable_two_factor(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password):
        raise ProfileError(_l("Your password is not right."))
    twofactor.disable(user)
