"""sales details: custom fields on opportunities, product pictures

Revision ID: 0007_sales_details
Revises: 0006_sales
Create Date: 2026-11-23 11:50:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0007_sales_details'
down_revision = '0006_sales'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('opportunities', sa.Column(
        'custom', postgresql.JSONB(astext_type=sa.Text()), nullable=False,
        server_default=sa.text("'{}'::jsonb")))
    # The server default only fills existing rows; the model supplies {} from now on.
    op.alter_column('opportunities', 'custom', server_default=None)
    op.add_column('products', sa.Column('image_file', sa.String(length=100), nullable=True))
    op.add_column('products', sa.Column('image_type', sa.String(length=40), nullable=True))
    op.add_column('products', sa.Column('image_bytes', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('products', 'image_bytes')
    op.drop_column('products', 'image_type')
    op.drop_column('products', 'image_file')
    op.drop_column('opportunities', 'custom')
