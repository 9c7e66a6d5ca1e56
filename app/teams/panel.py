"""What the Team panel of a customer or opportunity page shows (a template global)."""
import sqlalchemy as sa
from flask import url_for
from flask_login import current_user

from app.auth.models import User
from app.extensions import db
from app.org.services import unit_choices
from app.teams import services
from app.teams.labels import SHARE_ACCESS_LABELS, TEAM_ROLE_LABELS

# record type -> the team routes' endpoints by action, and their id argument
TEAM_ROUTES = {
    "customer": ("customer_id", {"add": "customer_team.add_member",
                                 "remove": "customer_team.remove_member",
                                 "share": "customer_team.share",
                                 "unshare": "customer_team.unshare"}),
    "opportunity": ("opportunity_id", {"add": "deal_team.add_member_to_deal",
                                       "remove": "deal_team.remove_member_from_deal",
                                       "share": "deal_team.share_deal",
                                       "unshare": "deal_team.unshare_deal"}),
}


def team_url(record_type: str, action: str, record_id: int) -> str:
    id_arg, endpoints = TEAM_ROUTES[record_type]
    return url_for(f"workspace.{endpoints[action]}", **{id_arg: record_id})


def team_panel(record_type: str, record) -> dict:
    manage = services.may_manage_team(record, current_user)
    panel = {
        "record_type": record_type, "record": record, "may_manage": manage,
        "owner": db.session.get(User, record.owner_id) if record.owner_id else None,
        "members": services.team_of(record_type, record.id),
        "shares": services.shares_of(record_type, record.id),
        "roles": TEAM_ROLE_LABELS, "access_levels": SHARE_ACCESS_LABELS,
        "url": lambda action: team_url(record_type, action, record.id),
    }
    if manage:
        panel["users"] = db.session.execute(
            sa.select(User.id, User.name).where(User.active, User.id != record.owner_id)
            .order_by(User.name)).all()
        panel["units"] = unit_choices()
    return panel
