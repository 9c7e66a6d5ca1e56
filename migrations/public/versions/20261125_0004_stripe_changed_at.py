"""stripe_changed_at: when this app last changed the subscription in Stripe

A `customer.subscription.*` event that Stripe created before that moment carries
the state from before our change; the webhook re-reads the subscription from
Stripe instead of applying it (billing/stripe_sync.py).

Revision ID: 0004_stripe_changed_at
Revises: 0003_extra_seats
Create Date: 2026-11-25 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_stripe_changed_at'
down_revision = '0003_extra_seats'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('subscriptions', sa.Column('stripe_changed_at', sa.BigInteger(), nullable=True),
                  schema='public')


def downgrade():
    op.drop_column('subscriptions', 'stripe_changed_at', schema='public')
