"""Admin pages for the organisation tree: departments, regions and stores."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.access.permissions import requires
from app.admin.blueprint import bp
from app.admin.choices import active_users_or_none, units_or_none
from app.admin.forms import NONE, UnitForm, optional_id
from app.auth.models import User
from app.extensions import db
from app.org import services
from app.org.models import Unit
from app.org.tree import tree_rows


@bp.get("/units")
@requires("admin", "admin")
def units():
    names = dict(db.session.execute(sa.select(User.id, User.name)).all())
    counts = dict(db.session.execute(
        sa.select(User.unit_id, sa.func.count()).where(User.active).group_by(User.unit_id)).all())
    return render_template("admin/units.html", rows=tree_rows(), names=names, counts=counts)


def _form(unit: Unit | None) -> UnitForm:
    data = {}
    if unit is not None:
        data = {"name": unit.name, "kind": unit.kind, "parent": unit.parent_id or NONE,
                "manager": services.manager_of(unit) or NONE}
    form = UnitForm(**data)
    form.parent.choices = units_or_none()
    form.manager.choices = active_users_or_none()
    return form


def _save(unit: Unit | None, form: UnitForm) -> Unit:
    parent = optional_id(form.parent.data)
    if unit is None:
        unit = services.create_unit(form.name.data, form.kind.data, parent)
    else:
        services.update_unit(unit, form.name.data, form.kind.data, parent)
    services.set_manager(unit, optional_id(form.manager.data))
    return unit


def _edit_page(unit: Unit | None):
    form = _form(unit)
    if form.validate_on_submit():
        try:
            _save(unit, form)
        except services.UnitError as error:
            form.parent.errors.append(str(error))
        else:
            flash(_("The unit is saved."), "success")
            return redirect(url_for("workspace.admin.units"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/unit.html", form=form, unit=unit), status


@bp.route("/units/new", methods=["GET", "POST"])
@requires("admin", "admin")
def new_unit():
    return _edit_page(None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@requires("admin", "admin")
def edit_unit(unit_id):
    return _edit_page(db.session.get(Unit, unit_id) or abort(404))
