"""tenant registry and provider staff

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 07:33:10.650193
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('provider_users',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('owner', 'billing', 'support')", name=op.f('ck_provider_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_users')),
    schema='public'
    )
    op.create_index('uq_provider_users_email_lower', 'provider_users', [sa.literal_column('lower(email)')], unique=True, schema='public')
    op.create_table('tenants',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('slug', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('schema_name', sa.String(length=63), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'pooled') = (slug IS NULL)", name=op.f('ck_tenants_pooled_has_no_slug')),
    sa.CheckConstraint("status IN ('pooled', 'active', 'suspended', 'canceled')", name=op.f('ck_tenants_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('schema_name', name=op.f('uq_tenants_schema_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenants_slug')),
    schema='public'
    )
    op.create_index(op.f('ix_public_tenants_status'), 'tenants', ['status'], unique=False, schema='public')


def downgrade():
    op.drop_index(op.f('ix_public_tenants_status'), table_name='tenants', schema='public')
    op.drop_table('tenants', schema='public')
    op.drop_index('uq_provider_users_email_lower', table_name='provider_users', schema='public')
    op.drop_table('provider_users', schema='public')
