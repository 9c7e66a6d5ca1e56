"""Competitor pages, the win/loss report, and a deal's SWOT against a competitor."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.access.visibility import editable_or_403, visible_or_404, visible_to
from app.attachments.services import attachments_of
from app.competitors import services
from app.competitors.blueprint import bp
from app.competitors.forms import PRICE_POSITION_NAMES, CompetitorForm, SwotForm
from app.competitors.listing import COMPETITOR_LIST, competitors_query
from app.competitors.models import Competitor, OpportunityCompetitor
from app.extensions import db
from app.lists.page import list_page
from app.opportunities.models import Opportunity
from app.selects import select_choices


@bp.get("/")
@requires("sales", "view")
def index():
    return list_page(COMPETITOR_LIST, competitors_query(), "competitors/index.html", "competitors",
                     report=services.win_loss(visible_to(current_user, Opportunity)))


def _edit_page(competitor: Competitor | None):
    form = CompetitorForm(obj=competitor)
    if form.validate_on_submit():
        try:
            competitor = services.save_competitor(competitor, form.cleaned())
        except services.CompetitorError as error:
            form[error.field].errors.append(str(error.message))
        else:
            flash(_("The competitor is saved."), "success")
            return redirect(url_for("workspace.competitors.show", competitor_id=competitor.id))
    status = 422 if form.is_submitted() else 200
    return render_template("competitors/form.html", form=form, competitor=competitor), status


@bp.route("/new", methods=["GET", "POST"])
@requires("sales", "create")
def new():
    return _edit_page(None)


@bp.route("/<int:competitor_id>/edit", methods=["GET", "POST"])
@requires("sales", "edit")
def edit(competitor_id):
    return _edit_page(db.session.get(Competitor, competitor_id) or abort(404))


@bp.get("/<int:competitor_id>")
@requires("sales", "view")
def show(competitor_id):
    competitor = db.session.get(Competitor, competitor_id) or abort(404)
    deals = db.session.execute(
        sa.select(Opportunity, OpportunityCompetitor)
        .join(OpportunityCompetitor, OpportunityCompetitor.opportunity_id == Opportunity.id)
        .where(OpportunityCompetitor.competitor_id == competitor.id,
               Opportunity.deleted_at.is_(None), visible_to(current_user, Opportunity))
        .order_by(Opportunity.id.desc())).all()
    return render_template("competitors/show.html", competitor=competitor, deals=deals,
                           positions=PRICE_POSITION_NAMES,
                           attachments=attachments_of(competitor_id=competitor.id))


@bp.route("/deal/<int:opportunity_id>", methods=["GET", "POST"])
@requires("sales", "edit")
def swot(opportunity_id):
    opportunity = editable_or_403(Opportunity, opportunity_id)
    competitor_id = request.args.get("competitor", type=int)
    existing = db.session.get(OpportunityCompetitor, (opportunity.id, competitor_id or 0))
    form = SwotForm(obj=existing, competitor=competitor_id)
    form.competitor.choices = select_choices(db.session.execute(
        sa.select(Competitor.id, Competitor.name).order_by(Competitor.name)).all())
    if form.validate_on_submit():
        try:
            services.save_swot(opportunity.id, form.competitor.data, form.data)
        except services.CompetitorError as error:
            form.competitor.errors.append(str(error.message))
        else:
            flash(_("The SWOT is saved."), "success")
            return redirect(url_for("workspace.opportunities.show", opportunity_id=opportunity.id))
    status = 422 if form.is_submitted() else 200
    return render_template("competitors/swot.html", form=form, opportunity=opportunity), status
