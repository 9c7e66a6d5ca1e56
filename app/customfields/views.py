"""Admin pages for custom fields."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.access.permissions import requires
from app.customfields import services
from app.customfields.admin_forms import ENTITY_LABELS, TYPE_LABELS, CustomFieldForm
from app.customfields.models import CustomField
from app.extensions import db

bp = Blueprint("customfields", __name__, url_prefix="/admin/fields")


@bp.get("/")
@requires("admin", "admin")
def index():
    groups = [(entity, label, services.fields_of(entity, include_inactive=True))
              for entity, label in ENTITY_LABELS.items()]
    return render_template("customfields/index.html", groups=groups, type_labels=TYPE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@requires("admin", "admin")
def new():
    form = CustomFieldForm()
    if form.validate_on_submit():
        try:
            services.define(form.entity.data, form.key.data.strip(), form.label.data.strip(),
                            form.type.data, required=form.required.data,
                            position=form.position.data or 0, help_text=form.help_text.data,
                            options=form.option_list())
            flash(_("Field %(label)s added.", label=form.label.data), "success")
            return redirect(url_for("workspace.customfields.index"))
        except services.FieldError as error:
            form[error.field].errors.append(error.message)
    return render_template("customfields/form.html", form=form, field=None), (
        422 if form.is_submitted() else 200)


@bp.route("/<int:field_id>", methods=["GET", "POST"])
@requires("admin", "admin")
def edit(field_id):
    field = db.session.get(CustomField, field_id)
    if field is None:
        abort(404)
    form = CustomFieldForm(obj=field)
    del form.entity, form.key  # fixed once created: stored values are keyed by them
    if not form.is_submitted():
        form.options.data = "\n".join(field.options or [])
    if form.validate_on_submit():
        try:
            services.change(field, label=form.label.data.strip(), field_type=form.type.data,
                            required=form.required.data, position=form.position.data or 0,
                            help_text=form.help_text.data, options=form.option_list(),
                            active=form.active.data)
            flash(_("Field %(label)s saved.", label=field.label), "success")
            return redirect(url_for("workspace.customfields.index"))
        except services.FieldError as error:
            form[error.field].errors.append(error.message)
    return render_template("customfields/form.html", form=form, field=field), (
        422 if form.is_submitted() else 200)
