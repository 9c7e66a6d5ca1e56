"""Platform hardening: tenant folder keys, provider TOTP, shared log-in throttling and rate limits

* tenants.files_key names a tenant's upload and export folders (tenants/files.py).
  Existing tenants get their schema name, the name their folders already have, so
  nothing moves; new tenants get a random key that no later tenant can get again.

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


def downgrade():
    op.drop_constraint(op.f('uq_tenants_files_key'), 'tenants', schema='public')
    op.drop_column('tenants', 'files_key', schema='public')
