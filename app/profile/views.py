"""The user's own profile pages under /t/<slug>/profile/."""
from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import signed_in
from app.auth import sessions, twofactor
from app.profile import services
from app.profile.forms import (ChangePasswordForm, DisableTwoFactorForm, EnableTwoFactorForm,
                               ProfileForm)

bp = Blueprint("profile", __name__, url_prefix="/profile")
PENDING_SECRET = "kehu_pending_totp"


@bp.route("", methods=["GET", "POST"])
@signed_in
def edit():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        services.update_profile(user, form.name.data, form.phone.data, form.locale.data,
                                form.time_zone.data, form.signature.data)
        session.pop("locale", None)  # the profile's language now decides
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("workspace.profile.edit"))
    status = 422 if form.is_submitted() else 200
    return render_template("profile/edit.html", form=form), status


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current.data, form.password.data)
        except services.ProfileError as error:
            form.current.errors.append(str(error))
        else:
            sessions.start(user)  # this browser goes on; every other session has ended
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("workspace.profile.edit"))
    status = 422 if form.is_submitted() else 200
    return render_template("profile/password.html", form=form), status


def _pending_secret() -> str:
    if not session.get(PENDING_SECRET):
        session[PENDING_SECRET] = twofactor.new_secret()
    return session[PENDING_SECRET]


def _two_factor_page(enable_form=None, disable_form=None, codes=None, status=200):
    user = current_user._get_current_object()
    secret = None if user.two_factor_enabled or codes else _pending_secret()
    uri = twofactor.provisioning_uri(secret, user.email, g.tenant.name) if secret else None
    return render_template(
        "profile/two_factor.html", secret=secret, uri=uri, codes=codes,
        enable_form=enable_form or EnableTwoFactorForm(),
        disable_form=disable_form or DisableTwoFactorForm()), status


@bp.get("/two-factor")
@signed_in
def two_factor():
    return _two_factor_page()


@bp.post("/two-factor/enable")
@signed_in
def enable_two_factor():
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = services.enable_two_factor(current_user, _pending_secret(), form.code.data)
        except services.ProfileError as error:
            form.code.errors.append(str(error))
        else:
            session.pop(PENDING_SECRET, None)
            return _two_factor_page(codes=codes)
    return _two_factor_page(enable_form=form, status=422)


@bp.post("/two-factor/disable")
@signed_in
def disable_two_factor():
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        try:
            services.disable_two_factor(current_user, form.password.data)
        except services.ProfileError as error:
            form.password.errors.append(str(error))
        else:
            flash(_("Two-step verification is off."), "info")
            return redirect(url_for("workspace.profile.two_factor"))
    return _two_factor_page(disable_form=form, status=422)


@bp.get("/sessions")
@signed_in
def sessions_list():
    user = current_user._get_current_object()
    return render_template("profile/sessions.html", rows=sessions.of_user(user),
                           current_key=getattr(user, "session_key", None))


@bp.post("/sessions/<int:session_id>/end")
@signed_in
def end_session(session_id):
    user = current_user._get_current_object()
    if not sessions.end(user, session_id=session_id):
        abort(404)
    flash(_("That session has ended."), "info")
    return redirect(url_for("workspace.profile.sessions_list"))


@bp.post("/sessions/end-others")
@signed_in
def end_other_sessions():
    user = current_user._get_current_object()
    count = sessions.end(user, keep_key=getattr(user, "session_key", None))
    flash(_("Other sessions ended: %(n)d.", n=count), "info")
    return redirect(url_for("workspace.profile.sessions_list"))
