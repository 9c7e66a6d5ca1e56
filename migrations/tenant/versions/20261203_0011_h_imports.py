"""imports: staged headers and sample, sheets, phone region, stage; customers' sales history

Revision ID: 0010_h_imports
Revises: 0010_h_auth_user_sessions
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0010_h_imports'
down_revision = '0010_h_auth_user_sessions'
branch_labels = None
depends_on = None


def upgrade():
    for name in ('headers', 'sample', 'sheets'):
        op.add_column('import_jobs', sa.Column(name, postgresql.JSONB(astext_type=sa.Text()),
                                               nullable=False, server_default='[]'))
        op.alter_column('import_jobs', name, server_default=None)
    op.add_column('import_jobs', sa.Column('sheet', sa.String(length=100), nullable=True))
    op.add_column('import_jobs', sa.Column('region', sa.String(length=2), nullable=True))
    op.add_column('import_jobs', sa.Column('stage', sa.String(length=8), nullable=True))
    op.add_column('customers', sa.Column('sales_history', sa.Numeric(16, 2), nullable=True))


def downgrade():
    op.drop_column('customers', 'sales_history')
    for name in ('stage', 'region', 'sheet', 'sheets', 'sample', 'headers'):
        op.drop_column('import_jobs', name)
