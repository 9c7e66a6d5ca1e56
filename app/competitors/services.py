"""Competitors, the SWOT of each deal against one, and the win/loss report per competitor."""
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.competitors.models import Competitor, OpportunityCompetitor
from app.extensions import db
from app.opportunities.models import Opportunity
from app.sales.models import PipelineStage

SWOT_FIELDS = ("strengths", "weaknesses", "opportunities", "threats", "strategy")
PROFILE_FIELDS = ("name", "website", "products", "strengths", "weaknesses", "price_position",
                  "notes")


class CompetitorError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def save_competitor(competitor: Competitor | None, values: dict) -> Competitor:
    taken = db.session.scalar(sa.select(Competitor.id).where(
        sa.func.lower(Competitor.name) == values["name"].strip().lower(),
        Competitor.id != (competitor.id if competitor else 0)))
    if taken is not None:
        raise CompetitorError("name", _l("A competitor with this name exists already."))
    if competitor is None:
        competitor = Competitor()
        db.session.add(competitor)
    for name in PROFILE_FIELDS:
        setattr(competitor, name, values.get(name))
    db.session.flush()
    return competitor


def save_swot(opportunity_id: int, competitor_id: int, values: dict) -> OpportunityCompetitor:
    if db.session.get(Competitor, competitor_id) is None:
        raise CompetitorError("competitor", _l("Choose a competitor."))
    swot = db.session.get(OpportunityCompetitor, (opportunity_id, competitor_id))
    if swot is None:
        swot = OpportunityCompetitor(opportunity_id=opportunity_id, competitor_id=competitor_id)
        db.session.add(swot)
    for name in SWOT_FIELDS:
        setattr(swot, name, (values.get(name) or "").strip() or None)
    db.session.flush()
    return swot


def swots_of(opportunity_id: int) -> list[tuple[OpportunityCompetitor, Competitor]]:
    return list(db.session.execute(
        sa.select(OpportunityCompetitor, Competitor)
        .join(Competitor, Competitor.id == OpportunityCompetitor.competitor_id)
        .where(OpportunityCompetitor.opportunity_id == opportunity_id)
        .order_by(Competitor.name)).all())


@dataclass(frozen=True)
class WinLoss:
    competitor: Competitor
    won: int
    lost: int
    open: int
    won_amounts: dict[str, Decimal]
    lost_amounts: dict[str, Decimal]

    @property
    def win_rate(self) -> float | None:
        closed = self.won + self.lost
        return None if closed == 0 else self.won / closed


def win_loss(visible) -> list[WinLoss]:
    """Per competitor: deals won, lost and open against it (amounts per currency), over the
    deals the `visible` condition (app.access.visibility.visible_to) lets the user see."""
    rows = db.session.execute(
        sa.select(OpportunityCompetitor.competitor_id, PipelineStage.outcome,
                  Opportunity.currency, sa.func.count(), sa.func.sum(Opportunity.amount))
        .join(Opportunity, Opportunity.id == OpportunityCompetitor.opportunity_id)
        .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
        .where(Opportunity.deleted_at.is_(None), visible)
        .group_by(OpportunityCompetitor.competitor_id, PipelineStage.outcome, Opportunity.currency))
    counts: dict = {}
    for competitor_id, outcome, currency, count, total in rows:
        entry = counts.setdefault(competitor_id, {"won": 0, "lost": 0, "open": 0,
                                                  "won_amounts": {}, "lost_amounts": {}})
        entry[outcome] += count
        if outcome in ("won", "lost"):
            entry[f"{outcome}_amounts"][currency] = total
    competitors = db.session.scalars(sa.select(Competitor).order_by(Competitor.name)).all()
    empty = {"won": 0, "lost": 0, "open": 0, "won_amounts": {}, "lost_amounts": {}}
    return [WinLoss(c, **counts.get(c.id, empty)) for c in competitors]
