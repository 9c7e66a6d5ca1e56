"""The calendar's panels on "My day": today's meetings, and deal follow-ups due."""
from datetime import timedelta

import sqlalchemy as sa

from app.calendar.services import meetings_between
from app.calendar.times import local_midnight, local_today, user_zone
from app.extensions import db
from app.myday import panel
from app.opportunities.models import Opportunity
from app.sales.models import PipelineStage

FOLLOW_UPS_SHOWN = 20


@panel("calendar.today", order=15, template="calendar/_myday_today.html")
def meetings_today(user) -> dict | None:
    zone, today = user_zone(user), local_today(user)
    meetings = meetings_between(user.id, user, local_midnight(today, zone),
                                local_midnight(today + timedelta(days=1), zone))
    return {"meetings": meetings, "zone": zone} if meetings else None


@panel("calendar.follow_ups", order=25, template="calendar/_myday_follow_ups.html")
def follow_ups_due(user) -> dict | None:
    today = local_today(user)
    deals = db.session.scalars(sa.select(Opportunity).join(
        PipelineStage, PipelineStage.id == Opportunity.stage_id).where(
        Opportunity.owner_id == user.id, Opportunity.deleted_at.is_(None),
        PipelineStage.outcome == "open", Opportunity.next_step_date <= today)
        .order_by(Opportunity.next_step_date, Opportunity.id).limit(FOLLOW_UPS_SHOWN)).all()
    return {"deals": deals, "today": today} if deals else None
