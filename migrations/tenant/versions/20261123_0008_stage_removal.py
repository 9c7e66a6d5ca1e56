"""pipeline stages can be removed without losing the deals' stage history

Revision ID: 0008_stage_removal
Revises: 0007_sales_details
Create Date: 2026-11-23 13:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_stage_removal'
down_revision = '0007_sales_details'
branch_labels = None
depends_on = None


def upgrade():
    # A removed stage stays as a row: the stage history of past deals still names it.
    op.add_column('pipeline_stages', sa.Column('removed_at', sa.DateTime(timezone=True),
                                               nullable=True))


def downgrade():
    op.drop_column('pipeline_stages', 'removed_at')
