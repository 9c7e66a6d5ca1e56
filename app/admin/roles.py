"""Admin pages for roles: the permission matrix, record visibility, copying a role."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.models import ACTIONS, MODULES, Role
from app.access.permissions import requires
from app.access.roles import RoleError, copy_role, may_change, update_role
from app.admin.blueprint import bp
from app.admin.forms import CopyRoleForm, RoleForm
from app.auth.models import User
from app.extensions import db


def _role(role_id) -> Role:
    """A role the current user may change: owner roles only by an owner."""
    role = db.session.get(Role, role_id) or abort(404)
    if not may_change(current_user, role.is_owner):
        abort(403)
    return role


@bp.get("/roles")
@requires("admin", "admin")
def roles():
    rows = db.session.scalars(sa.select(Role).order_by(Role.id)).all()
    members = dict(db.session.execute(
        sa.select(User.role_id, sa.func.count()).where(User.active).group_by(User.role_id)).all())
    return render_template("admin/roles.html", roles=rows, members=members, form=CopyRoleForm())


def _granted_from_request() -> set[tuple[str, str]]:
    pairs = (value.partition(":") for value in request.form.getlist("grant"))
    return {(module, action) for module, _sep, action in pairs}


def _granted_of(role: Role) -> set[tuple[str, str]]:
    return {(m, a) for m, actions in role.permissions.items() for a in actions if m != "*"}


@bp.route("/roles/<int:role_id>", methods=["GET", "POST"])
@requires("admin", "admin")
def edit_role(role_id):
    role = _role(role_id)
    form = RoleForm(name=role.name, visibility=role.visibility, owner=role.is_owner)
    granted = _granted_from_request() if form.is_submitted() else _granted_of(role)
    if form.validate_on_submit():
        owner = form.owner.data if may_change(current_user, owner_role=True) else role.is_owner
        try:
            update_role(role, form.name.data, form.visibility.data, granted, owner)
        except RoleError as error:
            form.owner.errors.append(str(error))
        else:
            flash(_("The role is saved."), "success")
            return redirect(url_for("workspace.admin.roles"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/role.html", form=form, role=role, granted=granted,
                           modules=MODULES, actions=ACTIONS), status


@bp.post("/roles/<int:role_id>/copy")
@requires("admin", "admin")
def copy(role_id):
    source = _role(role_id)
    form = CopyRoleForm()
    if not form.validate_on_submit():
        flash(_("Give the copy a name."), "danger")
        return redirect(url_for("workspace.admin.roles"))
    role = copy_role(source, form.name.data)
    flash(_("Role copied. Adjust it below."), "success")
    return redirect(url_for("workspace.admin.edit_role", role_id=role.id))
