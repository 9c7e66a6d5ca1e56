"""Admin pages for users and invitations."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.models import Role
from app.access.ownership import owned_counts
from app.access.permissions import requires
from app.access.roles import RoleError, assignable_roles, change_user_role, may_change
from app.admin.blueprint import bp
from app.admin.choices import active_users_or_none, roles_for, units_or_none
from app.admin.forms import InviteForm, ReassignForm, UserForm, optional_id
from app.auth.models import LoginEvent, User
from app.extensions import db
from app.users import invitations, services
from app.users.models import Invitation
from app.users.seats import seats_available
from billing.limits import LimitReached

ADMIN = ("admin", "admin")


def _get(model, object_id):
    return db.session.get(model, object_id) or abort(404)


def _assignable(role_id: int) -> Role:
    role = db.session.get(Role, role_id)
    if role is None or role not in assignable_roles(current_user):
        abort(403)
    return role


@bp.get("/users")
@requires(*ADMIN)
def users():
    pending = db.session.scalars(db.select(Invitation).where(Invitation.status == "pending")
                                 .order_by(Invitation.created_at.desc())).all()
    return render_template("admin/users.html", users=services.users_in_order(),
                           invitations=pending, seats=seats_available())


@bp.route("/users/invite", methods=["GET", "POST"])
@requires(*ADMIN)
def invite():
    form = InviteForm()
    form.role.choices, form.unit.choices = roles_for(current_user), units_or_none()
    limit = None
    if form.validate_on_submit():
        try:
            invitations.invite(form.email.data, _assignable(form.role.data),
                               optional_id(form.unit.data), current_user)
        except invitations.InvitationError as error:
            form.email.errors.append(str(error))
        except LimitReached as error:
            limit = error
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("workspace.admin.users"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/invite.html", form=form, limit=limit), status


def _user_form(member: User) -> UserForm:
    form = UserForm(role=member.role_id, unit=member.unit_id or 0)
    form.role.choices, form.unit.choices = roles_for(current_user), units_or_none()
    return form


def _render_user(member: User, form: UserForm, problem: str | None = None):
    return render_template("admin/user.html", form=form, member=member, problem=problem,
                           owned=owned_counts(member.id))


def _editable(user_id) -> User:
    """The user to change; only an owner may change an owner."""
    member = _get(User, user_id)
    if not may_change(current_user, member.role.is_owner):
        abort(403)
    return member


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(*ADMIN)
def user(user_id):
    member = _editable(user_id)
    form = _user_form(member)
    if form.validate_on_submit():
        try:
            change_user_role(member, _assignable(form.role.data))
            services.set_unit(member, optional_id(form.unit.data))
        except (RoleError, services.UserAdminError) as error:
            form.role.errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("workspace.admin.users"))
    status = 422 if form.is_submitted() else 200
    return _render_user(member, form), status


def _user_action(user_id, action, done_message):
    member = _editable(user_id)
    try:
        action(member)
    except services.UserAdminError as error:
        return _render_user(member, _user_form(member), str(error)), 422
    flash(done_message, "success")
    return redirect(url_for("workspace.admin.user", user_id=member.id))


@bp.post("/users/<int:user_id>/deactivate")
@requires(*ADMIN)
def deactivate(user_id):
    return _user_action(user_id, lambda member: services.deactivate(member, current_user),
                        _("The user is deactivated and logged out everywhere."))


@bp.post("/users/<int:user_id>/reactivate")
@requires(*ADMIN)
def reactivate(user_id):
    return _user_action(user_id, services.reactivate, _("The user is active again."))


@bp.post("/users/<int:user_id>/reset-password")
@requires(*ADMIN)
def reset_password(user_id):
    return _user_action(user_id, services.send_password_reset,
                        _("A password reset link is on its way to the user."))


@bp.route("/users/<int:user_id>/reassign", methods=["GET", "POST"])
@requires(*ADMIN)
def reassign(user_id):
    member = _editable(user_id)
    form = ReassignForm()
    form.to_user.choices = active_users_or_none(exclude=member.id)
    if form.validate_on_submit():
        try:
            moved = services.reassign(member, _get(User, form.to_user.data) if form.to_user.data
                                      else member)
        except services.UserAdminError as error:
            form.to_user.errors.append(str(error))
        else:
            flash(_("%(n)d records reassigned.", n=sum(moved.values())), "success")
            return redirect(url_for("workspace.admin.user", user_id=member.id))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/reassign.html", form=form, member=member,
                           owned=owned_counts(member.id)), status


def _invitation_action(invitation_id, action, done_message):
    invitation = _get(Invitation, invitation_id)
    try:
        action(invitation)
    except invitations.InvitationError as error:
        flash(str(error), "danger")
    else:
        flash(done_message, "success")
    return redirect(url_for("workspace.admin.users"))


@bp.post("/invitations/<int:invitation_id>/resend")
@requires(*ADMIN)
def resend_invitation(invitation_id):
    return _invitation_action(invitation_id, lambda i: invitations.resend(i, current_user),
                              _("The invitation was sent again; the earlier link no longer works."))


@bp.post("/invitations/<int:invitation_id>/revoke")
@requires(*ADMIN)
def revoke_invitation(invitation_id):
    return _invitation_action(invitation_id, invitations.revoke, _("The invitation is revoked."))


@bp.get("/logins")
@requires(*ADMIN)
def login_events():
    events = db.session.scalars(db.select(LoginEvent).order_by(LoginEvent.id.desc()).limit(200)).all()
    return render_template("admin/logins.html", events=events)
