"""customers, contacts, timeline, attachments, custom fields, counters, imports, saved views

Revision ID: 0004_customers
Revises: 0003_audit_export
Create Date: 2026-11-23 08:24:21.685788
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004_customers'
down_revision = '0003_audit_export'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('counters',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counters'))
    )
    op.create_table('custom_fields',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('help_text', sa.String(length=200), nullable=True),
    sa.Column('options', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("type IN ('text', 'long_text', 'number', 'money', 'date', 'choice', 'multi_choice', 'yes_no', 'user')", name=op.f('ck_custom_fields_type_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_fields')),
    sa.UniqueConstraint('entity', 'key', name='uq_custom_fields_entity_key')
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=80), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('type', sa.String(length=12), nullable=False),
    sa.Column('industry', sa.String(length=80), nullable=True),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('tier', sa.String(length=1), nullable=True),
    sa.Column('tier_is_manual', sa.Boolean(), nullable=False),
    sa.Column('region', sa.String(length=80), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('commission_code', sa.String(length=40), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('fax', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=200), nullable=True),
    sa.Column('bank_name', sa.String(length=120), nullable=True),
    sa.Column('bank_account', sa.String(length=60), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payment_method', sa.String(length=40), nullable=True),
    sa.Column('payment_terms', sa.String(length=80), nullable=True),
    sa.Column('tax_rule', sa.String(length=80), nullable=True),
    sa.Column('tax_id', sa.String(length=40), nullable=True),
    sa.Column('credit_limit', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('credit_rating', sa.String(length=20), nullable=True),
    sa.Column('credit_record', sa.Text(), nullable=True),
    sa.Column('sales_volume', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('preferences', sa.Text(), nullable=True),
    sa.Column('habits', sa.Text(), nullable=True),
    sa.Column('character', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('custom', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('company', 'individual')", name=op.f('ck_customers_kind_known')),
    sa.CheckConstraint("tier IS NULL OR tier IN ('A', 'B', 'C')", name=op.f('ck_customers_tier_known')),
    sa.CheckConstraint("type IN ('prospect', 'customer', 'partner', 'supplier', 'competitor')", name=op.f('ck_customers_type_known')),
    sa.CheckConstraint('credit_limit IS NULL OR credit_limit >= 0', name=op.f('ck_customers_credit_limit_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_customers_created_by_id_users')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['customers.id'], name=op.f('fk_customers_merged_into_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_customers_owner_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_customers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    op.create_index('ix_customers_code_id', 'customers', ['code', 'id'], unique=False)
    op.create_index('ix_customers_created_id', 'customers', ['created_at', 'id'], unique=False)
    op.create_index('ix_customers_email_lower', 'customers', [sa.literal_column('lower(email)')], unique=False)
    op.create_index('ix_customers_name_id', 'customers', ['name', 'id'], unique=False)
    op.create_index('ix_customers_owner_name_id', 'customers', ['owner_id', 'name', 'id'], unique=False)
    op.create_index('ix_customers_owner_created_id', 'customers', ['owner_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_customers_owner_live', 'customers', ['owner_id', 'deleted_at', 'id'], unique=False)
    op.create_index('ix_customers_phone_e164', 'customers', ['phone_e164'], unique=False)
    op.create_index('ix_customers_sales_volume_id', 'customers', ['sales_volume', 'id'], unique=False)
    op.create_index('ix_customers_search_vector', 'customers', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_customers_unit_id'), 'customers', ['unit_id'], unique=False)
    op.create_index('uq_customers_code_lower', 'customers', [sa.literal_column('lower(code)')], unique=True)
    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('target', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_key', sa.String(length=120), nullable=False),
    sa.Column('policy', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('errors', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_jobs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    op.create_table('import_mappings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=30), nullable=False),
    sa.Column('mapping', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_mappings_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'target', name=op.f('pk_import_mappings'))
    )
    op.create_table('saved_views',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('module', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('shared_with_unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['shared_with_unit_id'], ['units.id'], name=op.f('fk_saved_views_shared_with_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_views_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_views'))
    )
    op.create_index('ix_saved_views_module_user', 'saved_views', ['module', 'user_id'], unique=False)
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=True),
    sa.Column('department', sa.String(length=80), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('mobile', sa.String(length=40), nullable=True),
    sa.Column('mobile_e164', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('wechat', sa.String(length=60), nullable=True),
    sa.Column('line_id', sa.String(length=60), nullable=True),
    sa.Column('whatsapp', sa.String(length=40), nullable=True),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('preferences', sa.Text(), nullable=True),
    sa.Column('decision_role', sa.String(length=20), nullable=True),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('custom', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contacts_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_contacts_owner_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_contacts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    op.create_index('ix_contacts_customer_id', 'contacts', ['customer_id', 'id'], unique=False)
    op.create_index('ix_contacts_email_lower', 'contacts', [sa.literal_column('lower(email)')], unique=False)
    op.create_index('ix_contacts_mobile_e164', 'contacts', ['mobile_e164'], unique=False)
    op.create_index('ix_contacts_name_id', 'contacts', ['name', 'id'], unique=False)
    op.create_index('ix_contacts_owner_live', 'contacts', ['owner_id', 'deleted_at', 'id'], unique=False)
    op.create_index('ix_contacts_phone_e164', 'contacts', ['phone_e164'], unique=False)
    op.create_index('ix_contacts_search_vector', 'contacts', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_contacts_unit_id'), 'contacts', ['unit_id'], unique=False)
    op.create_table('customer_addresses',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=80), nullable=True),
    sa.Column('region', sa.String(length=80), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.CheckConstraint("kind IN ('registered', 'delivery', 'invoice')", name=op.f('ck_customer_addresses_kind_known')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_addresses_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_addresses'))
    )
    op.create_index(op.f('ix_customer_addresses_customer_id'), 'customer_addresses', ['customer_id'], unique=False)
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('storage_key', sa.String(length=120), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('customer_id IS NOT NULL OR contact_id IS NOT NULL', name=op.f('ck_attachments_has_owner')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_attachments_contact_id_contacts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_attachments_customer_id_customers')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index('ix_attachments_contact', 'attachments', ['contact_id', 'created_at'], unique=False)
    op.create_index('ix_attachments_customer', 'attachments', ['customer_id', 'created_at'], unique=False)
    op.create_table('timeline_entries',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('ref_type', sa.String(length=30), nullable=True),
    sa.Column('ref_id', sa.BigInteger(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_timeline_entries_contact_id_contacts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_timeline_entries_customer_id_customers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_timeline_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entries'))
    )
    op.create_index('ix_timeline_contact_time', 'timeline_entries', ['contact_id', 'occurred_at'], unique=False)
    op.create_index('ix_timeline_customer_time', 'timeline_entries', ['customer_id', 'occurred_at', 'id'], unique=False)
    op.create_index('ix_timeline_ref', 'timeline_entries', ['ref_type', 'ref_id'], unique=False)


def downgrade():
    op.drop_index('ix_timeline_ref', table_name='timeline_entries')
    op.drop_index('ix_timeline_customer_time', table_name='timeline_entries')
    op.drop_index('ix_timeline_contact_time', table_name='timeline_entries')
    op.drop_table('timeline_entries')
    op.drop_index('ix_attachments_customer', table_name='attachments')
    op.drop_index('ix_attachments_contact', table_name='attachments')
    op.drop_table('attachments')
    op.drop_index(op.f('ix_customer_addresses_customer_id'), table_name='customer_addresses')
    op.drop_table('customer_addresses')
    op.drop_index(op.f('ix_contacts_unit_id'), table_name='contacts')
    op.drop_index('ix_contacts_search_vector', table_name='contacts', postgresql_using='gin')
    op.drop_index('ix_contacts_phone_e164', table_name='contacts')
    op.drop_index('ix_contacts_owner_live', table_name='contacts')
    op.drop_index('ix_contacts_name_id', table_name='contacts')
    op.drop_index('ix_contacts_mobile_e164', table_name='contacts')
    op.drop_index('ix_contacts_email_lower', table_name='contacts')
    op.drop_index('ix_contacts_customer_id', table_name='contacts')
    op.drop_table('contacts')
    op.drop_index('ix_saved_views_module_user', table_name='saved_views')
    op.drop_table('saved_views')
    op.drop_table('import_mappings')
    op.drop_table('import_jobs')
    op.drop_index('uq_customers_code_lower', table_name='customers')
    op.drop_index(op.f('ix_customers_unit_id'), table_name='customers')
    op.drop_index('ix_customers_search_vector', table_name='customers', postgresql_using='gin')
    op.drop_index('ix_customers_sales_volume_id', table_name='customers')
    op.drop_index('ix_customers_phone_e164', table_name='customers')
    op.drop_index('ix_customers_owner_live', table_name='customers')
    op.drop_index('ix_customers_name_id', table_name='customers')
    op.drop_index('ix_customers_owner_name_id', table_name='customers')
    op.drop_index('ix_customers_owner_created_id', table_name='customers')
    op.drop_index('ix_customers_email_lower', table_name='customers')
    op.drop_index('ix_customers_created_id', table_name='customers')
    op.drop_index('ix_customers_code_id', table_name='customers')
    op.drop_table('customers')
    op.drop_table('custom_fields')
    op.drop_table('counters')
