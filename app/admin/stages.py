"""Admin pages for the pipeline stages: add, rename, default probability, order, remove.

The rules are app/sales/stages.py; these handlers parse, call them and render.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from app.access.permissions import requires
from app.admin.blueprint import bp
from app.admin.forms import RemoveStageForm, StageForm
from app.extensions import db
from app.sales import stages as services
from app.sales.models import PipelineStage
from app.selects import select_choices


def _live(stage_id: int) -> PipelineStage:
    stage = db.session.get(PipelineStage, stage_id)
    if stage is None or stage.removed_at is not None:
        abort(404)
    return stage


@bp.get("/stages")
@requires("admin", "admin")
def stages():
    return render_template("admin/stages.html", stages=services.live_stages(),
                           counts=services.deal_counts())


def _save(stage: PipelineStage | None, form: StageForm) -> None:
    if stage is None:
        services.add_stage(form.name.data, form.probability.data)
        return
    probability = (form.probability.data if "probability" in form
                   else services.FIXED_PROBABILITY[stage.outcome])
    apply = "apply_to_deals" in form and form.apply_to_deals.data
    changed = services.change_stage(stage, form.name.data, probability, apply)
    if changed:
        flash(ngettext("The probability of %(num)d deal was changed.",
                       "The probability of %(num)d deals was changed.", changed), "info")


def _edit_page(stage: PipelineStage | None):
    form = StageForm(obj=stage)
    if stage is None or stage.closed:
        del form.apply_to_deals
    if stage is not None and stage.closed:
        del form.probability  # won and lost keep 100 and 0: only their names change
    if form.validate_on_submit():
        try:
            _save(stage, form)
        except services.StageError as error:
            form[error.field].errors.append(str(error.message))
        else:
            flash(_("The stage is saved."), "success")
            return redirect(url_for("workspace.admin.stages"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/stage.html", form=form, stage=stage), status


@bp.route("/stages/new", methods=["GET", "POST"])
@requires("admin", "admin")
def new_stage():
    return _edit_page(None)


@bp.route("/stages/<int:stage_id>", methods=["GET", "POST"])
@requires("admin", "admin")
def edit_stage(stage_id):
    return _edit_page(_live(stage_id))


@bp.post("/stages/<int:stage_id>/move")
@requires("admin", "admin")
def move_stage(stage_id):
    """The up and down buttons of the stage list (no script needed)."""
    stage = _live(stage_id)
    if not services.move_stage(stage, request.form.get("direction", "")):
        flash(_("This stage cannot move that way: won and lost always come last."), "warning")
    return redirect(url_for("workspace.admin.stages"))


@bp.route("/stages/<int:stage_id>/remove", methods=["GET", "POST"])
@requires("admin", "admin")
def remove_stage(stage_id):
    stage = _live(stage_id)
    count = services.deal_counts().get(stage.id, 0)
    form = RemoveStageForm()
    form.move_to.choices = select_choices(
        [("", "—")] + [(s.id, s.name) for s in services.live_stages() if s.id != stage.id])
    if form.validate_on_submit():
        try:
            moved = services.remove_stage(stage, form.move_to.data if count else None,
                                          current_user.id)
        except services.StageError as error:
            form.move_to.errors.append(str(error.message))
        else:
            flash(ngettext("Stage %(name)s removed; %(num)d deal moved.",
                           "Stage %(name)s removed; %(num)d deals moved.", moved, name=stage.name),
                  "success")
            return redirect(url_for("workspace.admin.stages"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/stage_remove.html", form=form, stage=stage,
                           count=count), status
