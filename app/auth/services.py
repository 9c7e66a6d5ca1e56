"""Tenant user authentication rules; views and the CLI call these."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import format_datetime, gettext as _

from app import mail
from app.auth import lockout, twofactor
from app.auth.models import User
from app.auth.passwords import hash_password, verify_password
from app.auth.tokens import make_token, read_token
from app.extensions import db
from app.job_scope import job_scope
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


def _locked_message(until: datetime) -> str:
    return _("Too many failed log-ins: this account is locked until %(time)s. Try again then, "
             "or ask your administrator to send you a password reset link.",
             time=format_datetime(until, "short"))


def authenticate(email: str, password: str, ip: str | None = None) -> LoginOutcome:
    """Check e-mail and password; count failures, lock after too many, record every attempt."""
    user, wrong = find_user_by_email(email), _("Wrong e-mail or password.")
    if user is None:
        lockout.record_event(None, email.strip().lower(), ip, False, "unknown_user")
        return LoginOutcome(problem=wrong)
    until = lockout.locked_until(user)
    if until is not None:
        lockout.record_event(user.id, user.email, ip, False, "locked")
        return LoginOutcome(problem=_locked_message(until))
    if not user.active:
        lockout.record_event(user.id, user.email, ip, False, "inactive")
        return LoginOutcome(problem=wrong)
    if not verify_password(user.password_hash, password):
        until = lockout.register_failure(user, ip, "wrong_password")
        return LoginOutcome(problem=_locked_message(until) if until else wrong)
    if user.two_factor_enabled:
        return LoginOutcome(user=user, needs_code=True)
    lockout.register_success(user, ip)
    return LoginOutcome(user=user)


def check_second_factor(user: User, code: str, ip: str | None = None) -> LoginOutcome:
    """The log-in's second step: a TOTP or recovery code, counted like a password."""
    until = lockout.locked_until(user)
    if until is not None or not user.active:
        return LoginOutcome(problem=_locked_message(until) if until else _("Please log in again."))
    if not twofactor.verify_second_factor(user, code):
        until = lockout.register_failure(user, ip, "wrong_code")
        return LoginOutcome(problem=_locked_message(until) if until else _("Wrong code."))
    lockout.register_success(user, ip)
    return LoginOutcome(user=user)


def set_password(user: User, password: str) -> None:
    """New password; every existing session and e-mailed link of the user stops working."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins, user.locked_until = 0, None


def reset_link(user: User) -> str:
    token = make_token(RESET, require_tenant().id, user)
    return url_for("workspace.auth.reset_password", token=token, _external=True)


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
