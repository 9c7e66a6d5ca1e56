"""automation feature: the Trial, Professional and Enterprise plans include automation rules

Plans are edited by provider staff afterwards; this only appends the new feature key
to the standard plans (a plan that has it already is left alone).

Revision ID: 12_automation_feature
Revises: 12_scheduler
Create Date: 2026-12-03 19:35:00
"""
from alembic import op
import sqlalchemy as sa


revision = '12_automation_feature'
down_revision = '12_scheduler'
branch_labels = None
depends_on = None

PLANS = ("trial", "professional", "enterprise")


def upgrade():
    op.get_bind().execute(sa.text(
        "UPDATE public.plans SET features = CAST(CAST(features AS jsonb) || '[\"automation\"]' AS json) "
        "WHERE key IN :keys AND NOT CAST(features AS jsonb) ? 'automation'"
    ).bindparams(sa.bindparam("keys", expanding=True)), {"keys": list(PLANS)})


def downgrade():
    op.get_bind().execute(sa.text(
        "UPDATE public.plans SET features = CAST(CAST(features AS jsonb) - 'automation' AS json) "
        "WHERE key IN :keys"
    ).bindparams(sa.bindparam("keys", expanding=True)), {"keys": list(PLANS)})
