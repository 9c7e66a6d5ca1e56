"""Log in (with the optional second step), log out, password reset, accepting an invitation."""
from flask import (Blueprint, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.access.permissions import public, signed_in
from app.audit import services as audit
from app.auth import services, sessions
from app.auth.forms import (AcceptInvitationForm, CodeForm, ForgotPasswordForm, LoginForm,
                            NewPasswordForm)
from app.auth.models import User
from app.extensions import db, limiter
from app.safe_redirect import safe_next
from app.users import invitations

bp = Blueprint("auth", __name__)
PENDING = "kehu_pending_2fa"


def _config(name):
    return current_app.config[name]


def _after_login():
    return redirect(safe_next(request.args.get("next"), url_for("workspace.myday.home")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: _config("LOGIN_LIMIT_PER_IP"), methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        outcome = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        if outcome.needs_code:
            session[PENDING] = [g.tenant.id, outcome.user.id, outcome.user.session_version,
                                bool(form.remember.data)]
            return redirect(url_for("workspace.auth.second_factor", next=request.args.get("next")))
        if outcome.user is not None:
            sessions.start(outcome.user, remember=form.remember.data)
            audit.record("login", user=outcome.user)
            return _after_login()
        audit.record_now("login_failed", {"email": form.email.data},
                         user=services.find_user_by_email(form.email.data))
        form.password.errors.append(outcome.problem)
        return render_template("auth/login.html", form=form), 429 if outcome.throttled else 422
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _pending_user() -> tuple[User | None, bool]:
    tenant_id, user_id, version, remember = session.get(PENDING) or [None, None, None, False]
    if tenant_id != g.tenant.id:
        return None, False
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None, False
    return user, remember


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: _config("LOGIN_LIMIT_PER_IP"), methods=["POST"])
@public
def second_factor():
    user, remember = _pending_user()
    if user is None:
        return redirect(url_for("workspace.auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = services.check_second_factor(user, form.code.data, request.remote_addr)
        if outcome.user is not None:
            session.pop(PENDING, None)
            sessions.start(outcome.user, remember=remember)
            return _after_login()
        form.code.errors.append(outcome.problem)
        return render_template("auth/second_factor.html", form=form), (
            429 if outcome.throttled else 422)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/second_factor.html", form=form), status


@bp.post("/logout")
@signed_in
def logout():
    sessions.end_current(current_user._get_current_object())  # a copied cookie dies with it
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("workspace.auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If that address has an account here, a reset link is on its way."), "info")
        return redirect(url_for("workspace.auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "warning")
        return redirect(url_for("workspace.auth.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        flash(_("Your password is saved. Please log in."), "success")
        return redirect(url_for("workspace.auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form, user=user), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        flash(_("This invitation has expired, was revoked or was already used. "
                "Ask your administrator for a new one."), "warning")
        return redirect(url_for("workspace.auth.login"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(invitation, form.name.data, form.password.data)
        except invitations.InvitationError as error:
            form.name.errors.append(str(error))
        else:
            sessions.start(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("workspace.myday.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation), status
