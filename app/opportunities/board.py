"""The pipeline board and the opportunity list: what a user sees, computed in the query.

The board shows per stage the number of deals and their total per currency,
and the first CARDS_PER_STAGE cards (open stages: closing soonest first, deals
without a date last; won/lost: most recently closed first). Record visibility (own / unit /
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
from app.lists.spec import contains_text
from app.opportunities.models import Opportunity
from app.pagination import KeysetPage, keyset_page
from app.sales.models import PipelineStage
from app.sales.stages import live_stages

CARDS_PER_STAGE = 50
PAGE_SIZE = 50


@dataclass
class Column:
    stage: PipelineStage
    count: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)
    cards: list = field(default_factory=list)


def _cards(user, stage: PipelineStage) -> list:
    """The first cards of one stage: one index range scan (stage, date, id) with a LIMIT."""
    if stage.outcome == "open":  # closing soonest first (ix_opportunities_stage_close)
        order = (Opportunity.expected_close.asc(), Opportunity.id.asc())
    else:  # most recently closed first (ix_opportunities_stage_closed, scanned backwards)
        order = (Opportunity.closed_on.desc(), Opportunity.id.desc())
    return db.session.execute(
        sa.select(Opportunity.id, Opportunity.name, Opportunity.amount, Opportunity.currency,
                  Opportunity.expected_close, Opportunity.probability,
                  Customer.name.label("customer"), User.name.label("owner"))
        .join(Customer, Customer.id == Opportunity.customer_id)
        .outerjoin(User, User.id == Opportunity.owner_id)
        .where(Opportunity.stage_id == stage.id, Opportunity.deleted_at.is_(None),
               visible_to(user, Opportunity))
        .order_by(*order).limit(CARDS_PER_STAGE)).all()


def board(user) -> list[Column]:
    columns = {stage.id: Column(stage) for stage in live_stages()}
    totals = db.session.execute(
        sa.select(Opportunity.stage_id, Opportunity.currency, sa.func.count(),
                  sa.func.sum(Opportunity.amount))
        .where(Opportunity.deleted_at.is_(None), visible_to(user, Opportunity))
        .group_by(Opportunity.stage_id, Opportunity.currency))
    for stage_id, currency, count, total in totals:
        if stage_id not in columns:
            continue  # a removed stage: its deals were moved out, so none live is left there
        columns[stage_id].count += count
        columns[stage_id].totals[currency] = total
    for column in columns.values():
        if column.count:
            column.cards = _cards(user, column.stage)
    return list(columns.values())


@dataclass(frozen=True)
class ListFilters:
    stage_id: int | None = None
    owner_id: int | None = None
    query: str = ""
    close_from: date | None = None
    close_to: date | None = None
    custom: tuple = ()  # WHERE conditions of the custom-field filters (listing.custom_filters)


def opportunity_list(user, filters: ListFilters, before: int | None = None) -> KeysetPage:
    """Newest first, a page at a time; rows are (Opportunity, customer name, stage name)."""
    stmt = (sa.select(Opportunity).join(Customer, Customer.id == Opportunity.customer_id)
            .where(Opportunity.deleted_at.is_(None), visible_to(user, Opportunity)))
    if filters.stage_id:
        stmt = stmt.where(Opportunity.stage_id == filters.stage_id)
    if filters.owner_id:
        stmt = stmt.where(Opportunity.owner_id == filters.owner_id)
    if filters.query.strip():
        stmt = stmt.where(contains_text((Opportunity.name, Customer.name), filters.query.strip()))
    if filters.close_from:
        stmt = stmt.where(Opportunity.expected_close >= filters.close_from)
    if filters.close_to:
        stmt = stmt.where(Opportunity.expected_close <= filters.close_to)
    stmt = stmt.where(*filters.custom)
    return keyset_page(db.session, stmt, Opportunity.id, before, PAGE_SIZE)
