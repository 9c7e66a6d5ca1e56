"""Public sign-up pages: the form, the live address check, the e-mail verification link."""
import secrets

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth import sessions
from app.auth.models import User
from app.extensions import db, limiter
from app.jobs import enqueue
from app.signup import services
from app.signup.forms import SignupForm
from app.signup.slugs import slug_message, suggest_slug
from billing import plans
from tenants.context import tenant_scope

bp = Blueprint("signup", __name__)


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _form() -> SignupForm:
    form = SignupForm()
    form.plan.choices = [(plan.key, plan.name) for plan in plans.paid_plans()]
    if not form.is_submitted():
        form.nonce.data = secrets.token_urlsafe(24)
        for name in ("plan", "currency", "interval"):
            if request.args.get(name):
                getattr(form, name).data = request.args[name]
    return form


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup():
    form = _form()
    if form.validate_on_submit():
        if form.website.data:
            form.form_errors.append(_("Your sign-up could not be accepted. Please try again."))
        else:
            try:
                tenant, signup_row = services.sign_up(services.SignupRequest(
                    **{name: getattr(form, name).data for name in (
                        "company_name", "slug", "admin_name", "email", "password", "currency",
                        "interval", "language", "time_zone", "nonce")},
                    plan_key=form.plan.data, remote_addr=request.remote_addr or "",
                ))
            except services.SignupError as exc:
                target = getattr(form, exc.field, None)
                (target.errors if target is not None else form.form_errors).append(exc.message)
            else:
                _log_in_admin(tenant, signup_row.email)
                enqueue("tenants.provisioning.refill_pool")
                flash(_("Welcome! Your workspace is ready. We sent a link to confirm your e-mail."), "success")
                return redirect(url_for("workspace.myday.home", tenant_slug=tenant.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("signup/signup.html", form=form), status


def _log_in_admin(tenant, email: str) -> None:
    import sqlalchemy as sa

    with tenant_scope(tenant):
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        sessions.start(user)


@bp.get("/signup/address")
@limiter.limit("120 per minute")
def check_address():
    """JSON for the live check: {"slug", "ok", "message"}; suggests one from ?name= when no ?slug=."""
    slug = request.args.get("slug", "").strip().lower()[:40]
    name = request.args.get("name", "")[:200]
    if not slug and name:
        slug = suggest_slug(name)
    problem = slug_message(slug)
    return jsonify(slug=slug, ok=problem is None, message=problem or _("This address is available."))


@bp.get("/signup/verify/<token>")
def verify(token):
    signup_row = services.verify(token)
    if signup_row is None:
        flash(_("This confirmation link is invalid or has expired."), "warning")
        return redirect(url_for("site.home"))
    flash(_("Thank you, your e-mail is confirmed."), "success")
    if signup_row.tenant_slug and signup_row.tenant_id:
        return redirect(url_for("workspace.auth.login", tenant_slug=signup_row.tenant_slug))
    return redirect(url_for("site.home"))
