"""billing: plans, subscriptions and history, invoices, payments, Stripe events, sign-ups, provider audit

Revision ID: 0002_billing
Revises: 0001
Create Date: 2026-11-23 07:57:57.421924
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_billing'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_rates',
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.Numeric(precision=14, scale=6), nullable=False),
    sa.PrimaryKeyConstraint('currency', name=op.f('pk_exchange_rates')),
    schema='public'
    )
    op.create_table('invoice_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_invoice_counters')),
    schema='public'
    )
    op.create_table('plans',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_trial', sa.Boolean(), nullable=False),
    sa.Column('trial_days', sa.Integer(), nullable=False),
    sa.Column('seat_limit', sa.Integer(), nullable=True),
    sa.Column('record_limit', sa.Integer(), nullable=True),
    sa.Column('storage_limit_mb', sa.Integer(), nullable=True),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('key', name=op.f('uq_plans_key')),
    schema='public'
    )
    op.create_table('stripe_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('created', sa.BigInteger(), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_events')),
    schema='public'
    )
    op.create_table('plan_prices',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('interval', sa.String(length=5), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('stripe_price_id', sa.String(length=64), nullable=True),
    sa.CheckConstraint("interval IN ('month', 'year')", name=op.f('ck_plan_prices_interval_known')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_plan_prices_amount_not_negative')),
    sa.ForeignKeyConstraint(['plan_id'], ['public.plans.id'], name=op.f('fk_plan_prices_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_prices')),
    sa.UniqueConstraint('plan_id', 'currency', 'interval', name='uq_plan_prices_plan_currency_interval'),
    schema='public'
    )
    op.create_table('provider_audit',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('provider_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['provider_user_id'], ['public.provider_users.id'], name=op.f('fk_provider_audit_provider_user_id_provider_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['public.tenants.id'], name=op.f('fk_provider_audit_tenant_id_tenants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_audit')),
    schema='public'
    )
    op.create_index(op.f('ix_public_provider_audit_tenant_id'), 'provider_audit', ['tenant_id'], unique=False, schema='public')
    op.create_table('signups',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('tenant_slug', sa.String(length=32), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['public.tenants.id'], name=op.f('fk_signups_tenant_id_tenants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signups')),
    sa.UniqueConstraint('nonce', name=op.f('uq_signups_nonce')),
    schema='public'
    )
    op.create_index('ix_signups_email_lower', 'signups', [sa.literal_column('lower(email)')], unique=False, schema='public')
    op.create_table('subscriptions',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('tenant_slug', sa.String(length=32), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('interval', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('gateway', sa.String(length=16), nullable=False),
    sa.Column('billing_name', sa.String(length=200), nullable=False),
    sa.Column('billing_email', sa.String(length=254), nullable=False),
    sa.Column('trial_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('current_period_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('current_period_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_at_period_end', sa.Boolean(), nullable=False),
    sa.Column('past_due_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('export_offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('credit_balance', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('stripe_customer_id', sa.String(length=64), nullable=True),
    sa.Column('stripe_subscription_id', sa.String(length=64), nullable=True),
    sa.Column('stripe_state_at', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('trialing', 'active', 'past_due', 'suspended', 'canceled', 'purged')", name=op.f('ck_subscriptions_status_known')),
    sa.ForeignKeyConstraint(['plan_id'], ['public.plans.id'], name=op.f('fk_subscriptions_plan_id_plans')),
    sa.ForeignKeyConstraint(['tenant_id'], ['public.tenants.id'], name=op.f('fk_subscriptions_tenant_id_tenants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('stripe_subscription_id', name=op.f('uq_subscriptions_stripe_subscription_id')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_subscriptions_tenant_id')),
    schema='public'
    )
    op.create_index(op.f('ix_public_subscriptions_status'), 'subscriptions', ['status'], unique=False, schema='public')
    op.create_index(op.f('ix_public_subscriptions_stripe_customer_id'), 'subscriptions', ['stripe_customer_id'], unique=False, schema='public')
    op.create_table('billing_reminders',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['public.subscriptions.id'], name=op.f('fk_billing_reminders_subscription_id_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_reminders')),
    sa.UniqueConstraint('subscription_id', 'kind', 'day', name='uq_billing_reminders_once'),
    schema='public'
    )
    op.create_table('invoices',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('tax_rate', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('tax', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('billed_to', sa.String(length=200), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stripe_invoice_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'open', 'paid', 'void', 'uncollectible')", name=op.f('ck_invoices_status_known')),
    sa.ForeignKeyConstraint(['subscription_id'], ['public.subscriptions.id'], name=op.f('fk_invoices_subscription_id_subscriptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number')),
    sa.UniqueConstraint('stripe_invoice_id', name=op.f('uq_invoices_stripe_invoice_id')),
    sa.UniqueConstraint('year', 'sequence', name='uq_invoices_year_sequence'),
    schema='public'
    )
    op.create_index(op.f('ix_public_invoices_subscription_id'), 'invoices', ['subscription_id'], unique=False, schema='public')
    op.create_table('subscription_transitions',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['public.subscriptions.id'], name=op.f('fk_subscription_transitions_subscription_id_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_transitions')),
    schema='public'
    )
    op.create_index(op.f('ix_public_subscription_transitions_subscription_id'), 'subscription_transitions', ['subscription_id'], unique=False, schema='public')
    op.create_table('invoice_lines',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['public.invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines')),
    schema='public'
    )
    op.create_index(op.f('ix_public_invoice_lines_invoice_id'), 'invoice_lines', ['invoice_id'], unique=False, schema='public')
    op.create_table('payments',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['public.invoices.id'], name=op.f('fk_payments_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    schema='public'
    )
    op.create_index(op.f('ix_public_payments_invoice_id'), 'payments', ['invoice_id'], unique=False, schema='public')


def downgrade():
    op.drop_index(op.f('ix_public_payments_invoice_id'), table_name='payments', schema='public')
    op.drop_table('payments', schema='public')
    op.drop_index(op.f('ix_public_invoice_lines_invoice_id'), table_name='invoice_lines', schema='public')
    op.drop_table('invoice_lines', schema='public')
    op.drop_index(op.f('ix_public_subscription_transitions_subscription_id'), table_name='subscription_transitions', schema='public')
    op.drop_table('subscription_transitions', schema='public')
    op.drop_index(op.f('ix_public_invoices_subscription_id'), table_name='invoices', schema='public')
    op.drop_table('invoices', schema='public')
    op.drop_table('billing_reminders', schema='public')
    op.drop_index(op.f('ix_public_subscriptions_stripe_customer_id'), table_name='subscriptions', schema='public')
    op.drop_index(op.f('ix_public_subscriptions_status'), table_name='subscriptions', schema='public')
    op.drop_table('subscriptions', schema='public')
    op.drop_index('ix_signups_email_lower', table_name='signups', schema='public')
    op.drop_table('signups', schema='public')
    op.drop_index(op.f('ix_public_provider_audit_tenant_id'), table_name='provider_audit', schema='public')
    op.drop_table('provider_audit', schema='public')
    op.drop_table('plan_prices', schema='public')
    op.drop_table('stripe_events', schema='public')
    op.drop_table('plans', schema='public')
    op.drop_table('invoice_counters', schema='public')
    op.drop_table('exchange_rates', schema='public')
