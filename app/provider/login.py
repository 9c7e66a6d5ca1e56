"""Provider staff log-in: password, then a TOTP code (enrolled at the first log-in), throttled.

The console can open any tenant's workspace, so a password alone is not enough. Staff
without a secret yet are shown one after their password and must prove their
authenticator app has it before the session starts. Failures are slowed like the
workspace log-in (app/auth/throttle.py); log-out bumps session_version, so a copied
session cookie dies with it.
"""
from flask import session
from flask_babel import gettext as _

from app.auth import throttle, twofactor
from app.extensions import db
from app.provider import services
from app.provider.models import ProviderUser

PENDING = "kehu_provider_pending"
PENDING_SECRET = "kehu_provider_pending_totp"


def _keys(email: str, ip: str | None):
    return throttle.keys_for("p", email, ip)


def throttled_message(email: str, ip: str | None) -> str | None:
    wait = throttle.wait_seconds(_keys(email, ip))
    if not wait:
        return None
    return _("Too many failed log-ins from your network. Wait %(seconds)d seconds and try again.",
             seconds=wait)


def check_password(email: str, password: str, ip: str | None) -> ProviderUser | None:
    """The first step; remembers the staff member for the code step, or counts a failure."""
    user = services.authenticate(email, password)
    if user is None:
        throttle.register_failure(_keys(email, ip))
        return None
    session[PENDING] = [user.id, user.session_version]
    return user


def pending_user() -> ProviderUser | None:
    user_id, version = session.get(PENDING) or [None, None]
    user = db.session.get(ProviderUser, user_id) if user_id else None
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def enrolment_secret(user: ProviderUser) -> str | None:
    """The secret to show a staff member without one yet (kept in the session until confirmed)."""
    if user.totp_secret is not None:
        return None
    if not session.get(PENDING_SECRET):
        session[PENDING_SECRET] = twofactor.new_secret()
    return session[PENDING_SECRET]


def check_code(user: ProviderUser, code: str, ip: str | None) -> bool:
    """The second step (enrolling first if needed); a wrong code counts as a failure."""
    secret = user.totp_secret or session.get(PENDING_SECRET)
    if not secret or not twofactor.code_matches(secret, code):
        throttle.register_failure(_keys(user.email, ip))
        return False
    user.totp_secret = secret
    db.session.flush()
    throttle.register_success(_keys(user.email, ip))
    session.pop(PENDING, None)
    session.pop(PENDING_SECRET, None)
    return True


def end_session(user: ProviderUser) -> None:
    """Log-out ends this session server-side: the cookie's version no longer loads anyone."""
    user.session_version += 1
    db.session.flush()
