"""organisation tree, invitations, login events, user profile and security columns

Revision ID: 0002_org_users
Revises: 0001
Create Date: 2026-12-01 09:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002_org_users'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('units',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('head_office', 'region', 'department', 'store')", name=op.f('ck_units_kind_known')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_units_not_own_parent')),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    op.create_index(op.f('ix_units_parent_id'), 'units', ['parent_id'], unique=False)

    op.add_column('users', sa.Column('unit_id', sa.Integer(), nullable=True))
    op.add_column('users', sa.Column('phone', sa.String(length=32), nullable=True))
    op.add_column('users', sa.Column('signature', sa.Text(), nullable=True))
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('recovery_code_hashes', postgresql.JSONB(astext_type=sa.Text()),
                                     nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), nullable=False,
                                     server_default=sa.text('0')))
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    # The defaults only filled existing rows; the models set the values from now on.
    op.alter_column('users', 'recovery_code_hashes', server_default=None)
    op.alter_column('users', 'failed_logins', server_default=None)
    op.create_foreign_key(op.f('fk_users_unit_id_units'), 'users', 'units', ['unit_id'], ['id'])
    op.create_index(op.f('ix_users_unit_id'), 'users', ['unit_id'], unique=False)

    op.create_table('unit_managers',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_managers_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_unit_managers_user_id_users')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_managers'))
    )
    op.create_index(op.f('ix_unit_managers_user_id'), 'unit_managers', ['user_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'revoked')", name=op.f('ck_invitations_status_known')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_invitations_role_id_roles')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_invitations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    op.create_index('uq_invitations_pending_email', 'invitations', [sa.literal_column('lower(email)')],
                    unique=True, postgresql_where=sa.text("status = 'pending'"))

    op.create_table('login_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_events'))
    )
    op.create_index(op.f('ix_login_events_created_at'), 'login_events', ['created_at'], unique=False)
    op.create_index(op.f('ix_login_events_user_id'), 'login_events', ['user_id'], unique=False)


def downgrade():
    op.drop_table('login_events')
    op.drop_index('uq_invitations_pending_email', table_name='invitations')
    op.drop_table('invitations')
    op.drop_table('unit_managers')
    op.drop_index(op.f('ix_users_unit_id'), table_name='users')
    op.drop_constraint(op.f('fk_users_unit_id_units'), 'users', type_='foreignkey')
    for column in ('locked_until', 'failed_logins', 'recovery_code_hashes', 'totp_secret',
                   'signature', 'phone', 'unit_id'):
        op.drop_column('users', column)
    op.drop_index(op.f('ix_units_parent_id'), table_name='units')
    op.drop_table('units')
