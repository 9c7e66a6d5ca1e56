"""The pipeline board and the opportunity list: what a user sees, computed in the query.

The board shows per stage the number of deals and their total per currency,
and the first CARDS_PER_STAGE cards (open stages: closing soonest first;
won/lost: most recently closed first). Record visibility (own / unit /
unit_tree / all) is the WHERE clause of app.access.visibility.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.access.visibility import visible_to
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.opportunities.models import Opportunity
from app.pagination import KeysetPage, keyset_page
from app.sales.models import PipelineStage

CARDS_PER_STAGE = 50
PAGE_SIZE = 50


@dataclass
class Column:
    stage: PipelineStage
    count: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)
    cards: list = field(default_factory=list)


def _card_query(user, stage_ids: list[int], order) -> sa.Select:
    ranked = (
        sa.select(Opportunity.id, Opportunity.name, Opportunity.amount, Opportunity.currency,
                  Opportunity.expected_close, Opportunity.probability, Opportunity.stage_id,
                  Customer.name.label("customer"), User.name.label("owner"),
                  sa.func.row_number().over(partition_by=Opportunity.stage_id, order_by=order)
                  .label("rank"))
        .join(Customer, Customer.id == Opportunity.customer_id)
        .outerjoin(User, User.id == Opportunity.owner_id)
        .where(Opportunity.deleted_at.is_(None), Opportunity.stage_id.in_(stage_ids),
               visible_to(user, Opportunity))
    ).subquery()
    return sa.select(ranked).where(ranked.c.rank <= CARDS_PER_STAGE).order_by(
        ranked.c.stage_id, ranked.c.rank)


def board(user) -> list[Column]:
    stages = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).all()
    columns = {stage.id: Column(stage) for stage in stages}
    totals = db.session.execute(
        sa.select(Opportunity.stage_id, Opportunity.currency, sa.func.count(),
                  sa.func.sum(Opportunity.amount))
        .where(Opportunity.deleted_at.is_(None), visible_to(user, Opportunity))
        .group_by(Opportunity.stage_id, Opportunity.currency))
    for stage_id, currency, count, total in totals:
        columns[stage_id].count += count
        columns[stage_id].totals[currency] = total
    open_ids = [s.id for s in stages if s.outcome == "open"]
    closed_ids = [s.id for s in stages if s.outcome != "open"]
    soonest = (Opportunity.expected_close.asc().nulls_last(), Opportunity.id)
    latest = (Opportunity.closed_on.desc().nulls_last(), Opportunity.id.desc())
    for ids, order in ((open_ids, soonest), (closed_ids, latest)):
        if ids:
            for row in db.session.execute(_card_query(user, ids, order)):
                columns[row.stage_id].cards.append(row)
    return list(columns.values())


@dataclass(frozen=True)
class ListFilters:
    stage_id: int | None = None
    owner_id: int | None = None
    query: str = ""
    close_from: date | None = None
    close_to: date | None = None


def opportunity_list(user, filters: ListFilters, before: int | None = None) -> KeysetPage:
    """Newest first, a page at a time; rows are (Opportunity, customer name, stage name)."""
    stmt = (sa.select(Opportunity).join(Customer, Customer.id == Opportunity.customer_id)
            .where(Opportunity.deleted_at.is_(None), visible_to(user, Opportunity)))
    if filters.stage_id:
        stmt = stmt.where(Opportunity.stage_id == filters.stage_id)
    if filters.owner_id:
        stmt = stmt.where(Opportunity.owner_id == filters.owner_id)
    if filters.query.strip():
        like = f"%{filters.query.strip()}%"
        stmt = stmt.where(sa.or_(Opportunity.name.ilike(like), Customer.name.ilike(like)))
    if filters.close_from:
        stmt = stmt.where(Opportunity.expected_close >= filters.close_from)
    if filters.close_to:
        stmt = stmt.where(Opportunity.expected_close <= filters.close_to)
    return keyset_page(db.session, stmt, Opportunity.id, before, PAGE_SIZE)
