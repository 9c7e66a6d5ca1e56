"""Money correctness: one open invoice per period, flagged billing events, bank accounts

* `uq_invoices_open_period`: a partial unique index, one open invoice per subscription and
  period (a double click or two concurrent billing runs cannot issue a twin).
* `billing_flags`: Stripe events and payments set aside for provider staff instead of applied.
* `bank_accounts`: bank-transfer details per currency, set in the provider console.

Revision ID: 0005_h_billing_money
Revises: 0005_h_auth_hardening
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_h_billing_money'
down_revision = '0005_h_auth_hardening'
branch_labels = None
depends_on = None


def upgrade():
    # Twins issued before this fix would make the index fail with a bare error. Which twin to
    # void is a money decision for billing staff (Provider console → tenant → Void), so say which.
    twins = op.get_bind().execute(sa.text(
        "SELECT subscription_id, period_start, string_agg(number, ', ' ORDER BY id) FROM public.invoices "
        "WHERE status = 'open' AND period_start IS NOT NULL GROUP BY subscription_id, period_start "
        "HAVING count(*) > 1")).all()
    if twins:
        listed = "; ".join(f"subscription {sub} period {start:%Y-%m-%d}: {numbers}" for sub, start, numbers in twins)
        raise RuntimeError(f"open invoices issued twice for one period; void one of each first: {listed}")
    op.create_index('uq_invoices_open_period', 'invoices', ['subscription_id', 'period_start'],
                    unique=True, schema='public',
                    postgresql_where=sa.text("status = 'open' AND period_start IS NOT NULL"))
    op.create_table(
        'billing_flags',
        sa.Column('id', sa.Integer(), sa.Identity(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('stripe_event_id', sa.String(length=255), nullable=True),
        sa.Column('reference', sa.String(length=120), nullable=False),
        sa.Column('detail', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(['subscription_id'], ['public.subscriptions.id'], ondelete='SET NULL',
                                name=op.f('fk_billing_flags_subscription_id_subscriptions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_flags')),
        schema='public',
    )
    op.create_index(op.f('ix_public_billing_flags_subscription_id'), 'billing_flags', ['subscription_id'],
                    schema='public')
    op.create_table(
        'bank_accounts',
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('currency', name=op.f('pk_bank_accounts')),
        schema='public',
    )


def downgrade():
    op.drop_table('bank_accounts', schema='public')
    op.drop_index(op.f('ix_public_billing_flags_subscription_id'), table_name='billing_flags', schema='public')
    op.drop_table('billing_flags', schema='public')
    op.drop_index('uq_invoices_open_period', table_name='invoices', schema='public')
