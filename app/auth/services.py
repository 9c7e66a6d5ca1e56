"""Tenant user authentication rules; views and the CLI call these."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _

from app import mail
from app.auth import lockout, sessions, throttle, twofactor
from app.auth.models import User
from app.auth.passwords import hash_password, verify_password
from app.auth.tokens import make_token, read_token
from app.extensions import db
from app.job_scope import job_scope
from app.links import external_url
from tenants.context import require_tenant

RESET = "password-reset"


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    ).first()


@dataclass
class LoginOutcome:
    user: User | None = None
    problem: str | None = None
    needs_code: bool = False
    throttled: bool = False


def _throttled_message(seconds: int) -> str:
    return _("Too many failed log-ins from your network. Wait %(seconds)d seconds and try again.",
             seconds=seconds)


def authenticate(email: str, password: str, ip: str | None = None) -> LoginOutcome:
    """Check e-mail and password, slowing down repeated failures; record every attempt.

    Known and unknown addresses take the same path: one password hash verified, the same
    message, the same throttle, so neither the answer nor its timing says which exists.
    """
    email = email.strip().lower()
    keys = throttle.keys_for(f"t:{require_tenant().id}", email, ip)
    wait = throttle.wait_seconds(keys)
    if wait:
        lockout.record_event(None, email, ip, False, "throttled")
        return LoginOutcome(problem=_throttled_message(wait), throttled=True)
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active or not matches:
        reason = "unknown_user" if user is None else "inactive" if matches else "wrong_password"
        throttle.register_failure(keys)
        lockout.record_event(user.id if user else None, email, ip, False, reason)
        return LoginOutcome(problem=_("Wrong e-mail or password."))
    if user.two_factor_enabled:
        return LoginOutcome(user=user, needs_code=True)
    throttle.register_success(keys)
    lockout.register_success(user, ip)
    return LoginOutcome(user=user)


def check_second_factor(user: User, code: str, ip: str | None = None) -> LoginOutcome:
    """The log-in's second step: a TOTP or recovery code, throttled like a password."""
    keys = throttle.keys_for(f"t:{require_tenant().id}", user.email, ip)
    wait = throttle.wait_seconds(keys)
    if wait:
        return LoginOutcome(problem=_throttled_message(wait), throttled=True)
    if not user.active:
        return LoginOutcome(problem=_("Please log in again."))
    if not twofactor.verify_second_factor(user, code):
        throttle.register_failure(keys)
        lockout.record_event(user.id, user.email, ip, False, "wrong_code")
        return LoginOutcome(problem=_("Wrong code."))
    throttle.register_success(keys)
    lockout.register_success(user, ip)
    return LoginOutcome(user=user)


def set_password(user: User, password: str) -> None:
    """New password; every existing session and e-mailed link of the user stops working."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    sessions.end(user)


def reset_link(user: User) -> str:
    token = make_token(RESET, require_tenant().id, user)
    return external_url("workspace.auth.reset_password", token=token)


def send_reset_mail(user: User, subject: str) -> None:
    link = reset_link(user)
    text = render_template("auth/mail_reset.txt", user=user, link=link)
    mail.send(user.email, subject, text)


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an active user; say nothing either way."""
    user = find_user_by_email(email)
    if user is not None and user.active:
        send_reset_mail(user, _("Reset your password"))


def user_for_reset_token(token: str) -> User | None:
    found = read_token(RESET, token, current_app.config["PASSWORD_RESET_MAX_AGE_S"])
    if found is None or found[0] != require_tenant().id:
        return None
    user = db.session.get(User, found[1])
    if user is None or not user.active or user.session_version != found[2]:
        return None
    return user


def send_set_password_mail(tenant, email: str) -> None:
    """For an admin created without a password (flask tenants create)."""
    with job_scope(tenant, name="set-password mail"):
        send_reset_mail(find_user_by_email(email), _("Set your password for Kehu CRM"))
