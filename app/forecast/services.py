"""The forecast: per period (month or quarter) and per rep, unit, region or product, in the
tenant's currency.

    weighted  = Σ open deals' amount × probability / 100
    committed = Σ open deals' amount with probability ≥ COMMIT_PROBABILITY
    best case = Σ every open deal's amount
    closed won = Σ won deals' amount, by the day they were won

Open deals count in the period of their expected close date (deals without
one are left out); amounts are converted with the tenant's exchange rates and
rounded (half up, 2 places) once, on each figure shown. A currency without a
rate stops the forecast with MissingRate naming it: a forecast that silently
left deals out would mislead. Only the deals the user may see count.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.access.visibility import visible_to
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.forecast.rates import MissingRate, base_currency, rate_table
from app.opportunities.models import Opportunity
from app.org.models import Unit
from app.products.models import Product
from app.sales.models import PipelineStage
from app.sales.money import round_money

COMMIT_PROBABILITY = 75
GRAINS = ("month", "quarter")
DIMENSIONS = ("none", "owner", "unit", "region", "product")
FIGURES = ("weighted", "committed", "best_case", "closed_won")


@dataclass
class ForecastRow:
    period: str
    group: str
    deals: int = 0
    figures: dict = field(default_factory=lambda: {name: Decimal(0) for name in FIGURES})


@dataclass
class Forecast:
    currency: str
    grain: str
    by: str
    rows: list[ForecastRow]
    totals: ForecastRow


def period_label(day: date, grain: str) -> str:
    return f"{day.year}-{day.month:02d}" if grain == "month" else \
        f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _dimension(by: str):
    return {"owner": Opportunity.owner_id, "unit": Opportunity.unit_id,
            "region": Customer.region, "product": Opportunity.product_id,
            }.get(by, sa.cast(sa.null(), sa.Integer))


def _labels(by: str, keys: set) -> dict:
    keys = {k for k in keys if k is not None}
    if by == "owner":
        return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(keys))).all())
    if by == "unit":
        return dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(keys))).all())
    if by == "product":
        return {i: f"{c} {n}" for i, c, n in db.session.execute(
            sa.select(Product.id, Product.code, Product.name).where(Product.id.in_(keys)))}
    return {k: k for k in keys}


def _grouped(user, start: date, end: date, grain: str, by: str):
    won = PipelineStage.outcome == "won"
    day = sa.case((won, Opportunity.closed_on), else_=Opportunity.expected_close)
    period = sa.func.date_trunc(grain, day).label("period")
    dimension = _dimension(by).label("dimension")
    weighted = Opportunity.amount * Opportunity.probability
    committed = Opportunity.probability >= COMMIT_PROBABILITY
    stmt = (
        sa.select(period, dimension, Opportunity.currency, won.label("won"), sa.func.count(),
                  sa.func.sum(Opportunity.amount), sa.func.sum(weighted),
                  sa.func.coalesce(sa.func.sum(Opportunity.amount).filter(committed), 0))
        .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
        .join(Customer, Customer.id == Opportunity.customer_id)
        .where(Opportunity.deleted_at.is_(None), PipelineStage.outcome != "lost",
               day >= start, day <= end, visible_to(user, Opportunity))
        .group_by(period, dimension, Opportunity.currency, won))
    return db.session.execute(stmt).all()


def forecast(user, start: date, end: date, grain: str = "month", by: str = "none") -> Forecast:
    grain = grain if grain in GRAINS else "month"
    by = by if by in DIMENSIONS else "none"
    rates, missing = rate_table(), set()
    sums: dict = defaultdict(lambda: {name: Decimal(0) for name in FIGURES})
    deals: dict = defaultdict(int)
    rows = _grouped(user, start, end, grain, by)
    for period, dimension, currency, won, count, amount, weighted, committed in rows:
        if currency not in rates:
            missing.add(currency)
            continue
        rate, key = rates[currency], (period.date(), dimension)
        deals[key] += count
        if won:
            sums[key]["closed_won"] += amount * rate
        else:
            sums[key]["best_case"] += amount * rate
            sums[key]["weighted"] += weighted * rate / 100
            sums[key]["committed"] += committed * rate
    if missing:
        raise MissingRate(missing)
    labels = _labels(by, {dimension for _period, dimension in sums})
    result, totals = [], ForecastRow("", "", 0)
    for (period, dimension), figures in sorted(sums.items(), key=lambda i: (i[0][0], str(i[0][1]))):
        row = ForecastRow(period_label(period, grain), str(labels.get(dimension, "") or ""),
                          deals[(period, dimension)])
        for name in FIGURES:
            row.figures[name] = round_money(figures[name])
            totals.figures[name] += row.figures[name]
        totals.deals += row.deals
        result.append(row)
    return Forecast(base_currency(), grain, by, result, totals)
