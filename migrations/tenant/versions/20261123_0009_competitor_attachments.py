"""attachments on competitor profiles

Revision ID: 0009_competitor_attachments
Revises: 0008_stage_removal
Create Date: 2026-11-23 14:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0009_competitor_attachments'
down_revision = '0008_stage_removal'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('attachments', sa.Column('competitor_id', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_attachments_competitor_id_competitors'), 'attachments',
                          'competitors', ['competitor_id'], ['id'])
    op.create_index('ix_attachments_competitor', 'attachments', ['competitor_id', 'created_at'],
                    unique=False)
    # An attachment still belongs to something: now a customer, a contact or a competitor.
    op.drop_constraint(op.f('ck_attachments_has_owner'), 'attachments', type_='check')
    op.create_check_constraint(
        op.f('ck_attachments_has_owner'), 'attachments',
        'customer_id IS NOT NULL OR contact_id IS NOT NULL OR competitor_id IS NOT NULL')


def downgrade():
    # Competitors' files have no owner the old constraint accepts: they go with the column.
    op.execute('DELETE FROM attachments WHERE customer_id IS NULL AND contact_id IS NULL')
    op.drop_constraint(op.f('ck_attachments_has_owner'), 'attachments', type_='check')
    op.create_check_constraint(op.f('ck_attachments_has_owner'), 'attachments',
                               'customer_id IS NOT NULL OR contact_id IS NOT NULL')
    op.drop_index('ix_attachments_competitor', table_name='attachments')
    op.drop_constraint(op.f('fk_attachments_competitor_id_competitors'), 'attachments',
                       type_='foreignkey')
    op.drop_column('attachments', 'competitor_id')
