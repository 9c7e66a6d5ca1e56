"""Log in, log out and password reset inside a tenant's workspace."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from app.audit import services as audit
from app.auth import services
from app.auth.forms import ForgotPasswordForm, LoginForm, NewPasswordForm
from app.extensions import limiter
from app.safe_redirect import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            audit.record("login", user=user)
            return redirect(safe_next(request.args.get("next"), url_for("workspace.dashboard.home")))
        audit.record_now("login_failed", {"email": form.email.data},
                         user=services.find_user_by_email(form.email.data))
        form.password.errors.append(_("Wrong e-mail or password."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("workspace.auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If that address has an account here, a reset link is on its way."), "info")
        return redirect(url_for("workspace.auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
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
