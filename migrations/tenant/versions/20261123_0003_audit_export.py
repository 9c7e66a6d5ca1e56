"""audit log, data export jobs, branding

Revision ID: 0003_audit_export
Revises: 0002_org_users
Create Date: 2026-11-24 09:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003_audit_export'
down_revision = '0002_org_users'
branch_labels = None
depends_on = None

# Kept here as written then (app/audit/models.py holds the same for new schemas).
APPEND_ONLY_DDL = [
    "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit log entries cannot be changed or deleted'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
]


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_label', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('record_type', sa.String(length=60), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_action'), 'audit_log', ['action'], unique=False)
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_index('ix_audit_log_record', 'audit_log', ['record_type', 'record_id'], unique=False)
    op.create_index(op.f('ix_audit_log_user_id'), 'audit_log', ['user_id'], unique=False)
    for statement in APPEND_ONLY_DDL:
        op.execute(statement)
    op.create_table('export_jobs',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('file_name', sa.String(length=100), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_export_jobs_status_known')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_export_jobs_progress_percent')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_export_jobs_requested_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs'))
    )
    op.create_index(op.f('ix_export_jobs_requested_by'), 'export_jobs', ['requested_by'], unique=False)


    op.create_table('branding',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('primary_color', sa.String(length=7), nullable=False),
    sa.Column('email_footer', sa.Text(), nullable=False),
    sa.Column('call_greeting', sa.Text(), nullable=False),
    sa.Column('call_closing', sa.Text(), nullable=False),
    sa.Column('quote_header', sa.Text(), nullable=False),
    sa.Column('quote_footer', sa.Text(), nullable=False),
    sa.Column('logo_file', sa.String(length=100), nullable=True),
    sa.Column('logo_type', sa.String(length=40), nullable=True),
    sa.Column('logo_bytes', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("id = 1", name=op.f('ck_branding_single_row')),
    sa.CheckConstraint("primary_color ~ '^#[0-9a-f]{6}$'", name=op.f('ck_branding_color_hex')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branding'))
    )


def downgrade():
    op.drop_table('branding')
    op.drop_table('export_jobs')
    op.execute("DROP TABLE audit_log")
    op.execute("DROP FUNCTION audit_log_refuse_change()")
