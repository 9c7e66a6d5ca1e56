"""billing seed: the four standard plans with prices, and reporting exchange rates

Provider staff edit plans and rates in the console afterwards; this only
gives a new installation something to sell.

Revision ID: 0002_billing_seed
Revises: 0002_billing
Create Date: 2026-11-23 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_billing_seed'
down_revision = '0002_billing'
branch_labels = None
depends_on = None

CORE = ["customers", "contacts", "pipeline", "tasks"]
PLANS = [
    # key, name, position, is_trial, trial_days, seats, records, storage MB, features
    ("trial", "Trial", 0, True, 14, 3, 1000, 500, CORE + ["tickets"]),
    ("basic", "Basic", 1, False, 0, 5, 5000, 2048, CORE + ["tickets", "knowledge_base"]),
    ("professional", "Professional", 2, False, 0, 25, 50000, 20480,
     CORE + ["tickets", "knowledge_base", "campaigns", "call_center", "forum", "reports"]),
    ("enterprise", "Enterprise", 3, False, 0, None, None, 204800,
     CORE + ["tickets", "knowledge_base", "campaigns", "call_center", "forum", "reports",
             "api", "erp_connector", "approvals"]),
]
# Monthly prices per currency; yearly = 10 × monthly (two months free).
MONTHLY = {
    "basic": {"CNY": "199.00", "TWD": "899.00", "HKD": "219.00", "USD": "29.00"},
    "professional": {"CNY": "599.00", "TWD": "2690.00", "HKD": "659.00", "USD": "89.00"},
    "enterprise": {"CNY": "1999.00", "TWD": "8990.00", "HKD": "2190.00", "USD": "299.00"},
}
RATES = {"CNY": "1", "USD": "7.10", "HKD": "0.91", "TWD": "0.22"}


def upgrade():
    conn = op.get_bind()
    for key, name, position, is_trial, days, seats, records, storage, features in PLANS:
        conn.execute(sa.text(
            "INSERT INTO public.plans (key, name, position, is_trial, trial_days, seat_limit, "
            "record_limit, storage_limit_mb, features, public, active) VALUES (:key, :name, "
            ":position, :is_trial, :days, :seats, :records, :storage, CAST(:features AS json), "
            "true, true)"
        ), dict(key=key, name=name, position=position, is_trial=is_trial, days=days, seats=seats,
                records=records, storage=storage, features=_json(features)))
        for currency in RATES:
            monthly = MONTHLY.get(key, {}).get(currency, "0.00")
            for interval, amount in (("month", monthly), ("year", _yearly(monthly))):
                conn.execute(sa.text(
                    "INSERT INTO public.plan_prices (plan_id, currency, interval, amount) "
                    "SELECT id, :currency, :interval, CAST(:amount AS numeric) FROM public.plans "
                    "WHERE key = :key"
                ), dict(currency=currency, interval=interval, amount=amount, key=key))
    for currency, rate in RATES.items():
        conn.execute(sa.text(
            "INSERT INTO public.exchange_rates (currency, rate) VALUES (:c, CAST(:r AS numeric))"
        ), dict(c=currency, r=rate))


def _json(values):
    import json
    return json.dumps(values)


def _yearly(monthly: str) -> str:
    from decimal import Decimal
    return str(Decimal(monthly) * 10)


def downgrade():
    op.execute("DELETE FROM public.exchange_rates")
    op.execute("DELETE FROM public.plan_prices")
    op.execute("DELETE FROM public.plans")
