"""user_sessions: one row per signed-in browser; the per-account lockout columns go

Log-out deletes the session's row, so a copied session or remember-me cookie stops
working (app/auth/sessions.py). Failed log-ins are now throttled per account and
address in public.login_throttle, which never locks an account, so users.failed_logins
and users.locked_until are dropped.

Revision ID: 0010_h_auth_user_sessions
Revises: 0009_competitor_attachments
Create Date: 2026-12-03 17:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0010_h_auth_user_sessions'
down_revision = '0009_competitor_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
                    sa.Column('id', sa.Integer(), sa.Identity(), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('key', sa.String(length=64), nullable=False),
                    sa.Column('remember', sa.Boolean(), nullable=False),
                    sa.Column('ip', sa.String(length=64), nullable=True),
                    sa.Column('user_agent', sa.String(length=200), nullable=True),
                    sa.Column('created_at', sa.DateTime(timezone=True),
                              server_default=sa.text('now()'), nullable=False),
                    sa.Column('last_seen_at', sa.DateTime(timezone=True),
                              server_default=sa.text('now()'), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                            name=op.f('fk_user_sessions_user_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
                    sa.UniqueConstraint('key', name=op.f('uq_user_sessions_key')))
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    op.drop_column('users', 'failed_logins')
    op.drop_column('users', 'locked_until')


def downgrade():
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
