"""extra seats: a per-seat price next to each plan price, and extra seats on a subscription

A plan price row (plan × currency × interval) gains `seat_amount`, the price of
one extra user for that period (NULL: extra users are not sold there). A
subscription gains `extra_seats` (bought on top of the plan's seat limit) and
the Stripe subscription item that bills them. Seat prices are seeded for the
two paid plans that have a seat limit (Basic and Professional).

Revision ID: 0003_extra_seats
Revises: 0002_billing_seed
Create Date: 2026-11-24 09:00:00
"""
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


revision = '0003_extra_seats'
down_revision = '0002_billing_seed'
branch_labels = None
depends_on = None

# Monthly price of one extra user; yearly = 10 × monthly, as for the plans.
SEAT_MONTHLY = {
    "basic": {"CNY": "49.00", "TWD": "219.00", "HKD": "54.00", "USD": "7.00"},
    "professional": {"CNY": "29.00", "TWD": "129.00", "HKD": "32.00", "USD": "4.00"},
}


def upgrade():
    op.add_column('plan_prices', sa.Column('seat_amount', sa.Numeric(precision=12, scale=2), nullable=True),
                  schema='public')
    op.create_check_constraint(op.f('ck_plan_prices_seat_amount_not_negative'), 'plan_prices',
                               'seat_amount >= 0', schema='public')
    op.add_column('subscriptions', sa.Column('extra_seats', sa.Integer(), server_default='0', nullable=False),
                  schema='public')
    op.add_column('subscriptions', sa.Column('stripe_seat_item_id', sa.String(length=64), nullable=True),
                  schema='public')
    op.create_check_constraint(op.f('ck_subscriptions_extra_seats_not_negative'), 'subscriptions',
                               'extra_seats >= 0', schema='public')
    conn = op.get_bind()
    for key, prices in SEAT_MONTHLY.items():
        for currency, monthly in prices.items():
            for interval, amount in (("month", monthly), ("year", str(Decimal(monthly) * 10))):
                conn.execute(sa.text(
                    "UPDATE public.plan_prices SET seat_amount = CAST(:amount AS numeric) "
                    "WHERE currency = :currency AND interval = :interval "
                    "AND plan_id = (SELECT id FROM public.plans WHERE key = :key)"
                ), dict(amount=amount, currency=currency, interval=interval, key=key))


def downgrade():
    op.drop_constraint(op.f('ck_subscriptions_extra_seats_not_negative'), 'subscriptions', schema='public')
    op.drop_column('subscriptions', 'stripe_seat_item_id', schema='public')
    op.drop_column('subscriptions', 'extra_seats', schema='public')
    op.drop_constraint(op.f('ck_plan_prices_seat_amount_not_negative'), 'plan_prices', schema='public')
    op.drop_column('plan_prices', 'seat_amount', schema='public')
