"""The provider console: its own login, then the tenants it rents the CRM to."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import twofactor
from app.extensions import limiter
from app.provider import impersonation, login as staff_login
from app.provider.blueprint import bp
from app.provider.forms import ProviderCodeForm, ProviderLoginForm
from app.safe_redirect import safe_next


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = ProviderLoginForm()
    if form.validate_on_submit():
        ip = request.remote_addr
        refusal = staff_login.throttled_message(form.email.data, ip)
        if refusal:
            form.password.errors.append(refusal)
            return render_template("provider/login.html", form=form), 429
        if staff_login.check_password(form.email.data, form.password.data, ip) is not None:
            return redirect(url_for("provider.second_factor", next=request.args.get("next")))
        form.password.errors.append(_("Wrong e-mail or password."))
    status = 422 if form.is_submitted() else 200
    return render_template("provider/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def second_factor():
    user = staff_login.pending_user()
    if user is None:
        return redirect(url_for("provider.login"))
    form, status = ProviderCodeForm(), 200
    if form.validate_on_submit():
        ip = request.remote_addr
        refusal = staff_login.throttled_message(user.email, ip)
        if refusal:
            form.code.errors.append(refusal)
            status = 429
        elif staff_login.check_code(user, form.code.data, ip):
            impersonation.stop()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("provider.tenants")))
        else:
            form.code.errors.append(_("Wrong code."))
            status = 422
    secret = staff_login.enrolment_secret(user)
    uri = twofactor.provisioning_uri(secret, user.email, "Kehu CRM provider") if secret else None
    return render_template("provider/second_factor.html", form=form, secret=secret,
                           uri=uri), status


@bp.post("/logout")
@login_required
def logout():
    impersonation.stop()
    staff_login.end_session(current_user._get_current_object())
    logout_user()
    return redirect(url_for("provider.login"))
