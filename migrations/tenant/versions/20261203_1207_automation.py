"""automation: rules and their run log

`automation_runs` is unique on (rule, record, run key): the same event delivered
twice runs the rule once.

Revision ID: 12_automation
Revises: 12_teams
Create Date: 2026-12-03 19:31:21.049367
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '12_automation'
down_revision = '12_teams'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('automation_rules',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('trigger_field', sa.String(length=60), nullable=True),
    sa.Column('trigger_value', sa.String(length=200), nullable=True),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('conditions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('actions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('rotation_user_id', sa.Integer(), nullable=True),
    sa.Column('disabled_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("trigger IN ('created', 'changed', 'date', 'inactive')", name=op.f('ck_automation_rules_trigger_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_automation_rules_created_by_id_users')),
    sa.ForeignKeyConstraint(['rotation_user_id'], ['users.id'], name=op.f('fk_automation_rules_rotation_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_rules'))
    )
    op.create_index('ix_automation_rules_type_trigger', 'automation_rules', ['record_type', 'trigger'], unique=False)
    op.create_table('automation_runs',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('rule_id', sa.BigInteger(), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    sa.Column('run_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('done', 'failed')", name=op.f('ck_automation_runs_status_known')),
    sa.ForeignKeyConstraint(['rule_id'], ['automation_rules.id'], name=op.f('fk_automation_runs_rule_id_automation_rules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_runs')),
    sa.UniqueConstraint('rule_id', 'record_id', 'run_key', name='uq_automation_runs_event')
    )
    op.create_index('ix_automation_runs_rule_time', 'automation_runs', ['rule_id', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_automation_runs_rule_time', table_name='automation_runs')
    op.drop_table('automation_runs')
    op.drop_index('ix_automation_rules_type_trigger', table_name='automation_rules')
    op.drop_table('automation_rules')
