"""Sign-up: claim a warm tenant, start its trial, record the sign-up, mail the verification.

Everything happens in the request's transaction inside a savepoint, so a
refused or failed sign-up leaves nothing behind (the view answers 422 and the
transaction rolls back).
"""
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError, ProgrammingError

from app import mail
from app.auth.passwords import hash_password
from app.extensions import db
from app.links import external_url
from app.signup.models import Signup
from app.signup.slugs import slug_message
from billing import plans
from billing.clock import now
from billing.subscriptions import start_trial
from tenants.provisioning import NewTenant, ProvisioningError, claim_pooled_tenant

PENDING_DAYS = 7
VERIFY_MAX_AGE_S = 7 * 24 * 3600


class SignupError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass
class SignupRequest:
    company_name: str
    slug: str
    admin_name: str
    email: str
    password: str
    plan_key: str
    currency: str
    interval: str
    language: str
    time_zone: str
    nonce: str
    remote_addr: str = ""


def _pending_for(email: str) -> Signup | None:
    return db.session.scalars(sa.select(Signup).where(
        sa.func.lower(Signup.email) == email.strip().lower(), Signup.verified_at.is_(None),
        Signup.created_at > now() - timedelta(days=PENDING_DAYS),
    )).first()


def _check(request: SignupRequest):
    if db.session.scalar(sa.select(sa.func.count()).where(Signup.nonce == request.nonce)):
        raise SignupError("form", _("This sign-up was already sent. Check your inbox, or log in to your workspace."))
    if _pending_for(request.email) is not None:
        raise SignupError("email", _("A sign-up with this e-mail is waiting for verification. Please use the link we e-mailed you."))
    problem = slug_message(request.slug)
    if problem:
        raise SignupError("slug", problem)
    plan = plans.plan_by_key(request.plan_key)
    if plan is None or not plan.active or plan.is_trial or plan.price(request.currency, request.interval) is None:
        raise SignupError("plan", _("Please choose one of the plans offered."))
    return plan


def sign_up(request: SignupRequest):
    """The new tenant and its admin's user id; raises SignupError with a field and a message."""
    plan = _check(request)
    spec = NewTenant(
        slug=request.slug, name=request.company_name.strip(), admin_email=request.email,
        admin_name=request.admin_name.strip(), locale=request.language,
        time_zone=request.time_zone, currency=request.currency,
        admin_password_hash=hash_password(request.password),
    )
    savepoint = db.session.begin_nested()
    try:
        tenant = claim_pooled_tenant(spec)
        start_trial(tenant, plan, request.currency, request.interval, actor=f"signup:{request.email}",
                    billing_email=request.email, billing_name=request.company_name.strip())
        signup = Signup(nonce=request.nonce, email=request.email.strip().lower(), tenant_id=tenant.id,
                        tenant_slug=tenant.slug, remote_addr=request.remote_addr[:64])
        db.session.add(signup)
        db.session.flush()
        savepoint.commit()
    except (IntegrityError, ProgrammingError, ProvisioningError):
        # A concurrent sign-up took the address (or the form) between the check and the claim.
        savepoint.rollback()
        raise SignupError("slug", _("This address is already taken. Please choose another."))
    _send_verification(signup, request.language, tenant.name)
    return tenant, signup


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kehu.signup-verify")


def _send_verification(signup: Signup, language: str, company: str) -> None:
    link = external_url("signup.verify", token=_serializer().dumps(signup.id))
    with force_locale(language):
        text = render_template("signup/mail_verify.txt", link=link, company=company,
                               slug=signup.tenant_slug)
        mail.send(signup.email, _("Confirm your e-mail for Kehu CRM"), text)


def verify(token: str) -> Signup | None:
    """Mark the sign-up's e-mail verified; None when the link is forged or expired."""
    try:
        signup_id = int(_serializer().loads(token, max_age=VERIFY_MAX_AGE_S))
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    signup = db.session.get(Signup, signup_id)
    if signup is not None and signup.verified_at is None:
        signup.verified_at = now()
        db.session.flush()
    return signup
