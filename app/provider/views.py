"""The provider console: its own login, then the tenants it rents the CRM to."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from app.extensions import limiter
from app.provider import impersonation, services
from app.provider.blueprint import bp
from app.provider.forms import ProviderLoginForm
from app.safe_redirect import safe_next


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = ProviderLoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            impersonation.stop()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("provider.tenants")))
        form.password.errors.append(_("Wrong e-mail or password."))
    status = 422 if form.is_submitted() else 200
    return render_template("provider/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    impersonation.stop()
    logout_user()
    return redirect(url_for("provider.login"))
