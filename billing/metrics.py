"""Provider dashboard figures: MRR in one currency, counts per status, sign-ups and churn per week."""
from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from billing.models import Subscription, SubscriptionTransition
from billing.periods import cents
from billing.rates import current_rates as rates

PAYING = ("active", "past_due")




def monthly_value(subscription: Subscription) -> Decimal:
    price = subscription.plan.price(subscription.currency, subscription.interval)
    if price is None:
        return Decimal("0")
    amount = price.amount + (price.seat_amount or Decimal("0")) * subscription.extra_seats
    return amount / 12 if subscription.interval == "year" else amount


def mrr_by_plan() -> tuple[Decimal, dict[str, Decimal]]:
    """Monthly recurring revenue of paying subscriptions in the reporting currency, and per plan."""
    table = rates()
    per_plan: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    for subscription in db.session.scalars(sa.select(Subscription).where(Subscription.status.in_(PAYING))):
        per_plan[subscription.plan.name] += monthly_value(subscription) * table.get(subscription.currency, Decimal("0"))
    per_plan = {name: cents(value) for name, value in per_plan.items()}
    return cents(sum(per_plan.values(), Decimal("0"))), per_plan


def status_counts() -> dict[str, int]:
    rows = db.session.execute(sa.select(Subscription.status, sa.func.count()).group_by(Subscription.status))
    return dict(rows.all())


def weekly(weeks: int = 12) -> dict[str, list]:
    """Labels (week starts) with sign-ups and cancellations per week, oldest first."""
    week = sa.func.date_trunc("week", Subscription.created_at)
    signups = dict(db.session.execute(sa.select(week, sa.func.count()).group_by(week)).all())
    churn_week = sa.func.date_trunc("week", SubscriptionTransition.created_at)
    churn = dict(db.session.execute(sa.select(churn_week, sa.func.count()).where(
        SubscriptionTransition.to_status == "canceled").group_by(churn_week)).all())
    start = db.session.scalar(sa.select(sa.func.date_trunc("week", sa.func.now())))
    from datetime import timedelta
    labels = [start - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    return {"labels": [d.strftime("%Y-%m-%d") for d in labels],
            "signups": [signups.get(d, 0) for d in labels], "churn": [churn.get(d, 0) for d in labels]}


def reporting_currency() -> str:
    return current_app.config["BILLING_REPORTING_CURRENCY"]
