"""The rules pages under the workspace administration (/admin/automation/…): tenant admins only."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.access.permissions import requires
from app.auth.models import User
from app.automation import conditions, ready, services
from app.automation.fields import automatable_types
from app.automation.forms import ConfirmForm, RuleForm, TRIGGER_LABELS
from app.automation.models import AutomationRule
from app.extensions import db
from app.org.models import Unit

bp = Blueprint("automation", __name__, url_prefix="/admin/automation")


def _rule(rule_id: int) -> AutomationRule:
    rule = db.session.get(AutomationRule, rule_id)
    if rule is None:
        abort(404)
    return rule


@bp.get("/")
@requires("admin", "admin")
def index():
    return render_template("automation/index.html", rules=services.all_rules(),
                           ready=ready.READY, triggers=TRIGGER_LABELS, confirm=ConfirmForm(),
                           type_labels={t.key: t.label for t in automatable_types()})


def _fill_choices(form: RuleForm) -> None:
    users = db.session.execute(sa.select(User.id, User.name).where(User.active)
                               .order_by(User.name)).all()
    people = [(str(u.id), u.name) for u in users]
    form.record_type.choices = [(t.key, t.label) for t in automatable_types()]
    form.task_assignee.choices = [("owner", _("The record's owner"))] + people
    form.notify_to.choices = [("owner", _("The record's owner"))] + people
    form.assign_user.choices = [("", "—")] + people
    units = db.session.execute(sa.select(Unit.id, Unit.name).order_by(Unit.name)).all()
    form.assign_unit.choices = [("", "—")] + [(str(u.id), u.name) for u in units]


def _form_of(rule: AutomationRule | None) -> RuleForm:
    if request.method == "POST":
        form = RuleForm()
    elif rule is not None:
        form = RuleForm(formdata=MultiDict(_stored_data(rule)))
    elif request.args.get("ready") in ready.READY:
        first_unit = db.session.scalar(sa.select(Unit.id).order_by(Unit.id))
        form = RuleForm(formdata=MultiDict(ready.form_data(request.args["ready"], first_unit)))
    else:
        form = RuleForm()
    _fill_choices(form)
    return form


def _stored_data(rule: AutomationRule) -> dict:
    data = {"name": rule.name, "active": rule.active, "record_type": rule.record_type,
            "trigger": rule.trigger, "trigger_field": rule.trigger_field or "",
            "trigger_value": rule.trigger_value or "", "days": rule.days,
            "conditions": conditions.as_lines(rule.conditions)}
    for action in rule.actions or ():
        kind = action["type"]
        data[f"{kind}_on"] = True
        for key, value in action.items():
            if key != "type":
                data[f"{kind}_{key}"] = value
    data["assign_user"], data["assign_unit"] = data.pop("assign_user_id", ""), data.pop(
        "assign_unit_id", "")
    data["webhook_url"] = data.get("webhook_url", "")
    return {key: ("y" if value is True else str(value)) for key, value in data.items()
            if value not in (None, False)}


def _edit_page(rule: AutomationRule | None):
    form = _form_of(rule)
    if form.validate_on_submit():
        try:
            values = services.rule_values(form)
        except services.RuleError as error:
            form[error.field].errors.append(str(error.message))
        else:
            rule = services.save_rule(rule, values, current_user.id)
            flash(_("The rule is saved."), "success")
            return redirect(url_for("workspace.automation.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("automation/form.html", form=form, rule=rule), status


@bp.route("/new", methods=["GET", "POST"])
@requires("admin", "admin")
def new():
    return _edit_page(None)


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@requires("admin", "admin")
def edit(rule_id: int):
    return _edit_page(_rule(rule_id))


@bp.post("/<int:rule_id>/switch")
@requires("admin", "admin")
def switch(rule_id: int):
    rule = _rule(rule_id)
    if ConfirmForm().validate_on_submit():
        services.set_active(rule, not rule.active)
        flash(_("The rule is on.") if rule.active else _("The rule is off."), "success")
    return redirect(url_for("workspace.automation.index"))


@bp.post("/<int:rule_id>/delete")
@requires("admin", "admin")
def delete(rule_id: int):
    rule = _rule(rule_id)
    if ConfirmForm().validate_on_submit():
        services.delete_rule(rule)
        flash(_("The rule is deleted."), "success")
    return redirect(url_for("workspace.automation.index"))


@bp.get("/<int:rule_id>/log")
@requires("admin", "admin")
def log(rule_id: int):
    rule = _rule(rule_id)
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before < 2 ** 62:
        before = None  # a cursor the app did not write: start at the newest
    page = services.runs_of(rule, before)
    return render_template("automation/log.html", rule=rule, page=page)
