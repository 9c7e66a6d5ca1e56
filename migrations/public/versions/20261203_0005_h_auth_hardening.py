"""Platform hardening: tenant folder keys, provider TOTP, shared log-in throttling and rate limits

* tenants.files_key names a tenant's upload and export folders (tenants/files.py).
  Existing tenants get their schema name, the name their folders already have, so
  nothing moves; new tenants get a random key that no later tenant can get again.
* login_throttle: failed log-ins per account and address and per address, with the
  wait they impose (app/auth/throttle.py); shared by every worker.
* rate_limit_counters: Flask-Limiter's counters when there is no Redis (app/rate_limits.py).
* provider_users.totp_secret: the console's required second step (enrolled at first log-in).

Revision ID: 0005_h_auth_hardening
Revises: 0004_stripe_changed_at
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_h_auth_hardening'
down_revision = '0004_stripe_changed_at'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('tenants', sa.Column('files_key', sa.String(length=63), nullable=True),
                  schema='public')
    op.execute("UPDATE public.tenants SET files_key = schema_name")
    op.alter_column('tenants', 'files_key', nullable=False, schema='public')
    op.create_unique_constraint(op.f('uq_tenants_files_key'), 'tenants', ['files_key'],
                                schema='public')
    op.add_column('provider_users', sa.Column('totp_secret', sa.String(length=64), nullable=True),
                  schema='public')
    op.create_table('login_throttle',
                    sa.Column('key', sa.Text(), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')),
                    schema='public')
    op.create_index(op.f('ix_public_login_throttle_last_failure_at'), 'login_throttle',
                    ['last_failure_at'], unique=False, schema='public')
    op.create_table('rate_limit_counters',
                    sa.Column('key', sa.Text(), nullable=False),
                    sa.Column('hits', sa.Integer(), nullable=False),
                    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters')),
                    schema='public')
    op.create_index(op.f('ix_public_rate_limit_counters_expires_at'), 'rate_limit_counters',
                    ['expires_at'], unique=False, schema='public')


def downgrade():
    op.drop_table('rate_limit_counters', schema='public')
    op.drop_table('login_throttle', schema='public')
    op.drop_column('provider_users', 'totp_secret', schema='public')
    op.drop_constraint(op.f('uq_tenants_files_key'), 'tenants', schema='public')
    op.drop_column('tenants', 'files_key', schema='public')
