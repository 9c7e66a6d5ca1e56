"""The Team panel's changes: add or remove a member, share with a unit or stop sharing.

One blueprint per record type, so each is gated by its own plan feature and declares
its own permission; both call the same handlers. Seeing the record is enough to see
its team; changing it takes the owner, a manager above the owner, or an admin (403).
"""
from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.access.visibility import may_edit, visible_or_404
from app.customers.models import Customer
from app.opportunities.models import Opportunity
from app.records import record_url
from app.teams import services
from app.teams.panel import team_panel

customer_team = Blueprint("customer_team", __name__, url_prefix="/customers/<int:customer_id>/team")
deal_team = Blueprint("deal_team", __name__,
                      url_prefix="/opportunities/<int:opportunity_id>/team")
customer_team.add_app_template_global(team_panel, "team_panel")
customer_team.add_app_template_global(may_edit, "may_edit")


def _change(record_type: str, model, record_id: int, change):
    record = visible_or_404(model, record_id)
    if not services.may_manage_team(record, current_user):
        abort(403)
    try:
        message = change(record)
    except services.TeamError as error:
        return render_template("teams/refused.html", message=str(error),
                               back=record_url(record_type, record.id)), 422
    flash(message, "success")
    return redirect(record_url(record_type, record.id))


def _add_member(record_type: str):
    def change(record):
        user_id = request.form.get("user_id", type=int)
        if user_id is None:
            raise services.TeamError(_("Choose an active user of this workspace."))
        services.add_member(record_type, record, user_id, request.form.get("role", ""),
                            current_user.id)
        return _("Added to the team.")
    return change


def _remove_member(record_type: str):
    def change(record):
        services.remove_member(record_type, record, request.form.get("user_id", type=int))
        return _("Removed from the team.")
    return change


def _share(record_type: str):
    def change(record):
        unit_id = request.form.get("unit_id", type=int)
        if unit_id is None:
            raise services.TeamError(_("Choose a unit of this workspace."))
        services.share(record_type, record, unit_id, request.form.get("access", ""),
                       current_user.id)
        return _("Shared with the unit.")
    return change


def _unshare(record_type: str):
    def change(record):
        services.unshare(record_type, record, request.form.get("unit_id", type=int))
        return _("No longer shared with the unit.")
    return change


@customer_team.post("/add")
@requires("customers", "view")
def add_member(customer_id):
    return _change("customer", Customer, customer_id, _add_member("customer"))


@customer_team.post("/remove")
@requires("customers", "view")
def remove_member(customer_id):
    return _change("customer", Customer, customer_id, _remove_member("customer"))


@customer_team.post("/share")
@requires("customers", "view")
def share(customer_id):
    return _change("customer", Customer, customer_id, _share("customer"))


@customer_team.post("/unshare")
@requires("customers", "view")
def unshare(customer_id):
    return _change("customer", Customer, customer_id, _unshare("customer"))


@deal_team.post("/add")
@requires("sales", "view")
def add_member_to_deal(opportunity_id):
    return _change("opportunity", Opportunity, opportunity_id, _add_member("opportunity"))


@deal_team.post("/remove")
@requires("sales", "view")
def remove_member_from_deal(opportunity_id):
    return _change("opportunity", Opportunity, opportunity_id, _remove_member("opportunity"))


@deal_team.post("/share")
@requires("sales", "view")
def share_deal(opportunity_id):
    return _change("opportunity", Opportunity, opportunity_id, _share("opportunity"))


@deal_team.post("/unshare")
@requires("sales", "view")
def unshare_deal(opportunity_id):
    return _change("opportunity", Opportunity, opportunity_id, _unshare("opportunity"))
