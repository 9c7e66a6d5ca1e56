"""tasks: the occurrence a repeat follows, search vector, the team's open-tasks index, and the "tasks" permission in every role

Revision ID: 12_tasks
Revises: 12_outbox
Create Date: 2026-12-03 19:40:00
"""
import json

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '12_tasks'
down_revision = '12_outbox'
branch_labels = None
depends_on = None

# What each seeded role gets (app/access/seed.py); a tenant's own roles get what a rep
# gets: everyone plans their own work, and record visibility still says whose tasks show.
SEEDED = {
    "sales_manager": ["view", "create", "edit", "delete", "export"],
    "read_only": ["view"],
}
OWN_TASKS = ["view", "create", "edit", "delete"]
ALL = ["view", "create", "edit", "delete", "export", "admin"]


def upgrade():
    op.add_column('tasks', sa.Column('follows_id', sa.BigInteger(), nullable=True))
    op.create_index(op.f('ix_tasks_follows_id'), 'tasks', ['follows_id'], unique=False)
    op.add_column('tasks', sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True))
    op.create_index('ix_tasks_search_vector', 'tasks', ['search_vector'], unique=False,
                    postgresql_using='gin')
    op.create_index('ix_tasks_unit_open_due', 'tasks', ['unit_id', 'due_date', 'id'], unique=False,
                    postgresql_where=sa.text('done_at IS NULL AND deleted_at IS NULL'))
    conn = op.get_bind()
    roles = conn.execute(sa.text("SELECT id, key, is_system, permissions FROM roles")).all()
    for role_id, key, is_system, permissions in roles:
        if "tasks" in (permissions or {}):
            continue
        if key in ("owner", "admin") and is_system:
            actions = ALL
        else:
            actions = SEEDED.get(key, OWN_TASKS) if is_system else OWN_TASKS
        conn.execute(sa.text(
            "UPDATE roles SET permissions = permissions || CAST(:grant AS jsonb) WHERE id = :id"),
            {"grant": '{"tasks": %s}' % str(actions).replace("'", '"'), "id": role_id})


def downgrade():
    op.execute("UPDATE roles SET permissions = permissions - 'tasks'")
    op.drop_index('ix_tasks_unit_open_due', table_name='tasks',
                  postgresql_where=sa.text('done_at IS NULL AND deleted_at IS NULL'))
    op.drop_index('ix_tasks_search_vector', table_name='tasks', postgresql_using='gin')
    op.drop_column('tasks', 'search_vector')
    op.drop_index(op.f('ix_tasks_follows_id'), table_name='tasks')
    op.drop_column('tasks', 'follows_id')
