"""The scheduler: wake-ups (when each tenant's handlers are next due) and the job-run log

* `wakeups`: one row per tenant and handler (tenant NULL: public work such as the billing
  run), created lazily by the tick; the index on due_at makes a tick that finds nothing
  due one indexed query.
* `job_runs`: every run of a scheduled handler and of a queued job, with its error, so the
  tenant admin and provider staff see failures and retry them.

Revision ID: 12_scheduler
Revises: 0005_h_billing_money
Create Date: 2026-12-03 19:27:30.624344
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '12_scheduler'
down_revision = '0005_h_billing_money'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='1', nullable=False),
    sa.Column('job_args', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('retried_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('scheduled', 'queued')", name=op.f('ck_job_runs_kind_known')),
    sa.CheckConstraint("status IN ('done', 'failed')", name=op.f('ck_job_runs_status_known')),
    sa.ForeignKeyConstraint(['tenant_id'], ['public.tenants.id'], name=op.f('fk_job_runs_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    schema='public'
    )
    op.create_index('ix_job_runs_failed', 'job_runs', ['started_at'], unique=False, schema='public', postgresql_where=sa.text("status = 'failed'"))
    op.create_index('ix_job_runs_tenant_started', 'job_runs', ['tenant_id', 'started_at'], unique=False, schema='public')
    op.create_table('wakeups',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('handler', sa.String(length=100), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_wakeups_attempts_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id'], ['public.tenants.id'], name=op.f('fk_wakeups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wakeups')),
    sa.UniqueConstraint('tenant_id', 'handler', name='uq_wakeups_tenant_handler'),
    schema='public'
    )
    op.create_index(op.f('ix_public_wakeups_due_at'), 'wakeups', ['due_at'], unique=False, schema='public')
    op.create_index('uq_wakeups_public_handler', 'wakeups', ['handler'], unique=True, schema='public', postgresql_where=sa.text('tenant_id IS NULL'))


def downgrade():
    op.drop_index('uq_wakeups_public_handler', table_name='wakeups', schema='public', postgresql_where=sa.text('tenant_id IS NULL'))
    op.drop_index(op.f('ix_public_wakeups_due_at'), table_name='wakeups', schema='public')
    op.drop_table('wakeups', schema='public')
    op.drop_index('ix_job_runs_tenant_started', table_name='job_runs', schema='public')
    op.drop_index('ix_job_runs_failed', table_name='job_runs', schema='public', postgresql_where=sa.text("status = 'failed'"))
    op.drop_table('job_runs', schema='public')
