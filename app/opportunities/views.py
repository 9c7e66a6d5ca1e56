"""Opportunity pages: the board (with the move endpoint), the list, create, edit, show."""
import sqlalchemy as sa
from flask import (Blueprint, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.access.visibility import editable_or_403, visible_or_404
from app.auth.models import User
from app.contacts.models import Contact
from app.customers.models import Customer
from app.customfields.forms import custom_values, fill_custom, with_custom_fields
from app.customfields.services import fields_of
from app.extensions import db
from app.opportunities import board as boards, services
from app.opportunities.forms import OpportunityForm
from app.opportunities.listing import custom_filters, custom_spec
from app.opportunities.history import stage_history, stage_stats
from app.opportunities.models import Opportunity
from app.products.models import Product
from app.selects import select_choices

bp = Blueprint("opportunities", __name__, url_prefix="/opportunities")


@bp.get("/")
@requires("sales", "view")
def board():
    return render_template("opportunities/board.html", columns=boards.board(current_user))


@bp.post("/<int:opportunity_id>/move")
@requires("sales", "edit")
def move(opportunity_id):
    """The board's drag and drop (and its no-script form): move a card to another stage."""
    opportunity = editable_or_403(Opportunity, opportunity_id)
    stage_id = request.form.get("stage_id", type=int)
    try:
        services.move_stage(opportunity, stage_id, current_user.id, request.form.get("reason"))
    except services.OpportunityError as error:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(ok=False, field=error.field, message=str(error.message)), 422
        flash(str(error.message), "danger")
        return redirect(url_for("workspace.opportunities.show", opportunity_id=opportunity_id)), 303
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True, probability=opportunity.probability)
    return redirect(request.referrer or url_for("workspace.opportunities.board"))


@bp.get("/list")
@requires("sales", "view")
def index():
    args = request.args
    definitions = fields_of("opportunities")
    spec = custom_spec(definitions)
    conditions, active = custom_filters(spec, args)
    filters = boards.ListFilters(
        stage_id=args.get("stage", type=int), owner_id=args.get("owner", type=int),
        query=args.get("q", ""), close_from=_date(args.get("from")), close_to=_date(args.get("to")),
        custom=conditions)
    page = boards.opportunity_list(current_user, filters, args.get("before", type=int))
    customers = dict(db.session.execute(sa.select(Customer.id, Customer.name).where(
        Customer.id.in_({o.customer_id for o in page.items}))).all())
    return render_template("opportunities/index.html", page=page, filters=filters,
                           customers=customers, stages=services.stages(), owners=_owners(),
                           spec=spec, columns=spec.column_keys(args.getlist("col")), active=active,
                           custom_fields=definitions)


def _date(text):
    from datetime import date
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _owners():
    return db.session.execute(sa.select(User.id, User.name).where(User.active)
                              .order_by(User.name)).all()


def _form(opportunity: Opportunity | None) -> OpportunityForm:
    """The opportunity form with this tenant's opportunity custom fields."""
    data = {"owner": current_user.id, "customer_code": request.args.get("customer_code", "")}
    if opportunity is not None:
        customer = db.session.get(Customer, opportunity.customer_id)
        product = db.session.get(Product, opportunity.product_id) if opportunity.product_id else None
        data = {"customer_code": customer.code, "owner": opportunity.owner_id,
                "stage": opportunity.stage_id, "product_code": product.code if product else "",
                "contacts": [c.id for c in services.contacts_of(opportunity)]}
    form = with_custom_fields(OpportunityForm, "opportunities")(obj=opportunity, **data)
    if opportunity is not None and not form.is_submitted():
        fill_custom(form, opportunity)
    form.owner.choices = select_choices(_owners())
    form.stage.choices = select_choices((s.id, s.name) for s in services.stages())
    customer_id = opportunity.customer_id if opportunity else None
    form.linked_customer_id = customer_id
    form.contacts.choices = select_choices(db.session.execute(
        sa.select(Contact.id, Contact.name).where(Contact.customer_id == customer_id,
                                                  Contact.deleted_at.is_(None))).all())
    return form


def _edit_page(opportunity: Opportunity | None):
    form = _form(opportunity)
    if form.validate_on_submit() and (values := form.resolve()) is not None:
        values["custom"] = custom_values(form)
        try:
            if opportunity is None:
                opportunity = services.create_opportunity(values, current_user.id)
            else:
                services.update_opportunity(opportunity, values, current_user.id, form.reason.data)
        except services.OpportunityError as error:
            field = form.customer_code if error.field == "customer_code" else form[
                {"stage_id": "stage"}.get(error.field, error.field)]
            field.errors.append(str(error.message))
        else:
            flash(_("The opportunity is saved."), "success")
            return redirect(url_for("workspace.opportunities.show", opportunity_id=opportunity.id))
    status = 422 if form.is_submitted() else 200
    return render_template("opportunities/form.html", form=form, opportunity=opportunity), status


@bp.route("/new", methods=["GET", "POST"])
@requires("sales", "create")
def new():
    return _edit_page(None)


@bp.route("/<int:opportunity_id>/edit", methods=["GET", "POST"])
@requires("sales", "edit")
def edit(opportunity_id):
    return _edit_page(editable_or_403(Opportunity, opportunity_id))


@bp.get("/<int:opportunity_id>")
@requires("sales", "view")
def show(opportunity_id):
    from app.competitors.services import swots_of
    from app.quotes.services import quotes_of_opportunity
    from app.timeline.activity import activity_for

    opportunity = visible_or_404(Opportunity, opportunity_id)
    return render_template(
        "opportunities/show.html", opportunity=opportunity,
        customer=db.session.get(Customer, opportunity.customer_id),
        owner=db.session.get(User, opportunity.owner_id) if opportunity.owner_id else None,
        contacts=services.contacts_of(opportunity), history=stage_history(opportunity.id),
        stages=services.stages(), swots=swots_of(opportunity.id),
        custom_fields=fields_of("opportunities"),
        quotes=quotes_of_opportunity(opportunity.id),
        activity=activity_for("opportunity", opportunity.id))


@bp.get("/stages")
@requires("sales", "view")
def stages_report():
    return render_template("opportunities/stages.html", stats=stage_stats())
