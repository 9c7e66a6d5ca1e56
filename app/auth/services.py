"""Tenant user authentication rules; views and the CLI call these."""
import sqlalchemy as sa
from flask import current_app, g, render_template, url_for
from flask_babel import force_locale, gettext as _

from app import mail
from app.auth.models import User
from app.auth.passwords import hash_password, verify_password
from app.auth.tokens import make_token, read_token
from app.extensions import db
from tenants.context import require_tenant, tenant_scope

RESET = "password-reset"


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    ).first()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    user.last_login_at = sa.func.now()
    return user


def set_password(user: User, password: str) -> None:
    """New password; every existing session and e-mailed link of the user stops working."""
    user.password_hash = hash_password(password)
    user.session_version += 1


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
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base_url), tenant_scope(tenant):
        g.tenant = tenant
        user = find_user_by_email(email)
        with force_locale(tenant.locale):
            send_reset_mail(user, _("Set your password for Kehu CRM"))
