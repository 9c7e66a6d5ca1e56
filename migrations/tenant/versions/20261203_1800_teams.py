"""teams and shares: record_team_members, record_shares

Revision ID: 12_teams
Revises: 12_notify
Create Date: 2026-12-03 19:50:00
"""
from alembic import op
import sqlalchemy as sa

revision = '12_teams'
down_revision = '12_notify'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('record_team_members',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('sales', 'support', 'technical', 'executive_sponsor')", name=op.f('ck_record_team_members_role_known')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_record_team_members_added_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_record_team_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_team_members')),
    sa.UniqueConstraint('record_type', 'record_id', 'user_id', name='uq_record_team_members_one_membership')
    )
    op.create_index('ix_record_team_members_user', 'record_team_members', ['user_id', 'record_type', 'record_id'], unique=False)
    op.create_table('record_shares',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('access', sa.String(length=8), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("access IN ('read', 'edit')", name=op.f('ck_record_shares_access_known')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_record_shares_shared_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_record_shares_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_shares')),
    sa.UniqueConstraint('record_type', 'record_id', 'unit_id', name='uq_record_shares_one_share')
    )
    op.create_index('ix_record_shares_unit', 'record_shares', ['unit_id', 'record_type', 'record_id'], unique=False)


def downgrade():
    op.drop_index('ix_record_shares_unit', table_name='record_shares')
    op.drop_table('record_shares')
    op.drop_index('ix_record_team_members_user', table_name='record_team_members')
    op.drop_table('record_team_members')
