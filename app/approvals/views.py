"""Approvals: "waiting for my approval", deciding, and the admin's rule table."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.models import Role
from app.access.permissions import requires, signed_in
from app.approvals import services
from app.approvals.forms import APPROVER_NAMES, DecisionForm, RuleForm
from app.approvals.models import ApprovalRequest, ApprovalRule
from app.approvals.registry import DOCUMENT_TYPES, metric_choices
from app.auth.models import User
from app.extensions import db
from app.pagination import keyset_page
from app.selects import select_choices

bp = Blueprint("approvals", __name__, url_prefix="/approvals")
MINE_PER_PAGE = 50


@bp.get("/")
@signed_in
def index():
    waiting = services.pending_for(current_user)
    # Newest first, a page at a time (app.pagination), never cut off.
    mine = keyset_page(db.session, sa.select(ApprovalRequest).where(
        ApprovalRequest.requested_by_id == current_user.id), ApprovalRequest.id,
        request.args.get("before", type=int), MINE_PER_PAGE)
    describe = {r.id: DOCUMENT_TYPES[r.document_type].describe(r.document_id)
                for r in [*waiting, *mine.items] if r.document_type in DOCUMENT_TYPES}
    return render_template("approvals/index.html", waiting=waiting, mine=mine, describe=describe,
                           form=DecisionForm(),
                           names=dict(db.session.execute(sa.select(User.id, User.name)).all()))


@bp.post("/<int:request_id>")
@signed_in
def decide(request_id):
    approval = db.session.get(ApprovalRequest, request_id) or abort(404)
    form = DecisionForm()
    decision = request.form.get("decision")
    try:
        if decision not in ("approve", "reject"):
            raise services.ApprovalError(_("Choose approve or reject."))
        services.decide(approval, current_user, decision == "approve", form.comment.data)
    except services.ApprovalError as error:
        flash(str(error), "danger")
        return redirect(url_for("workspace.approvals.index")), 303
    flash(_("Approved.") if decision == "approve" else _("Rejected; the requester sees your comment."),
          "success")
    return redirect(url_for("workspace.approvals.index"))


def _rule_form(rule: ApprovalRule | None) -> RuleForm:
    data = {}
    if rule is not None:
        data = {"condition": f"{rule.document_type}:{rule.metric}", "role": rule.role_id or 0}
    form = RuleForm(obj=rule, **data)
    form.condition.choices = metric_choices()
    roles = db.session.execute(sa.select(Role.id, Role.name).order_by(Role.id)).all()
    form.role.choices = select_choices([(0, "—")] + list(roles))
    return form


@bp.route("/rules", methods=["GET", "POST"])
@requires("admin", "admin")
def rules():
    return _rules_page(None)


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
@requires("admin", "admin")
def edit_rule(rule_id):
    return _rules_page(db.session.get(ApprovalRule, rule_id) or abort(404))


def _rules_page(rule: ApprovalRule | None):
    form = _rule_form(rule)
    if form.validate_on_submit():
        if form.approver.data == "role" and not form.role.data:
            form.role.errors.append(_("Choose the role whose holders approve."))
        else:
            document_type, _sep, metric = form.condition.data.partition(":")
            rule = rule or ApprovalRule()
            rule.document_type, rule.metric = document_type, metric
            rule.threshold, rule.approver = form.threshold.data, form.approver.data
            rule.role_id = form.role.data if form.approver.data == "role" else None
            rule.active = form.active.data
            db.session.add(rule)
            db.session.flush()
            flash(_("The rule is saved."), "success")
            return redirect(url_for("workspace.approvals.rules"))
    status = 422 if form.is_submitted() else 200
    all_rules = db.session.scalars(sa.select(ApprovalRule).order_by(ApprovalRule.id)).all()
    return render_template("approvals/rules.html", form=form, rule=rule, rules=all_rules,
                           describe=services.describe_rule, approver_names=APPROVER_NAMES,
                           roles=dict(db.session.execute(sa.select(Role.id, Role.name)).all()),
                           ), status
