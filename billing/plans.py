"""Plans and prices: what is for sale, and the limits that come with it."""
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from billing.models import Plan


class PlanError(ValueError):
    pass


@dataclass(frozen=True)
class Limits:
    seats: int | None
    records: int | None
    storage_mb: int | None


def public_plans() -> list[Plan]:
    return list(db.session.scalars(
        sa.select(Plan).where(Plan.public, Plan.active).order_by(Plan.position, Plan.id)
    ).unique())


def paid_plans() -> list[Plan]:
    return [plan for plan in public_plans() if not plan.is_trial]


def trial_plan() -> Plan | None:
    return db.session.scalars(
        sa.select(Plan).where(Plan.is_trial, Plan.active).order_by(Plan.position)
    ).first()


def plan_by_key(key: str) -> Plan | None:
    return db.session.scalars(sa.select(Plan).where(Plan.key == key)).first()


def price_of(plan: Plan, currency: str, interval: str) -> Decimal:
    price = plan.price(currency, interval)
    if price is None:
        raise PlanError(f"{plan.key} has no {interval}ly price in {currency}")
    return price.amount


def seat_price_of(plan: Plan, currency: str, interval: str) -> Decimal | None:
    """One extra user's price per period; None when the plan sells no extra users there."""
    price = plan.price(currency, interval)
    return None if price is None else price.seat_amount


def limits_of(plan: Plan, extra_seats: int = 0) -> Limits:
    """The plan's limits; extra seats add to a seat limit (an unlimited plan stays unlimited)."""
    seats = None if plan.seat_limit is None else plan.seat_limit + extra_seats
    return Limits(seats, plan.record_limit, plan.storage_limit_mb)


def update_plan(plan: Plan, *, name: str, seat_limit, record_limit, storage_limit_mb,
                features: list[str], active: bool, prices: dict[tuple[str, str], Decimal],
                seat_prices: dict[tuple[str, str], Decimal | None] | None = None) -> None:
    """Provider staff edit a plan: limits, flags, every price and seat price (Decimal, never float)."""
    from billing.models import PlanPrice

    plan.name, plan.active, plan.features = name, active, sorted(set(features))
    plan.seat_limit, plan.record_limit, plan.storage_limit_mb = seat_limit, record_limit, storage_limit_mb
    seat_prices = seat_prices or {}
    for (currency, interval), amount in prices.items():
        seat_amount = seat_prices.get((currency, interval))
        if amount < 0 or (seat_amount is not None and seat_amount < 0):
            raise PlanError("prices cannot be negative")
        existing = plan.price(currency, interval)
        if existing is None:
            existing = PlanPrice(currency=currency, interval=interval, amount=amount)
            plan.prices.append(existing)
        existing.amount = amount
        if (currency, interval) in seat_prices:
            existing.seat_amount = seat_amount
    db.session.flush()
