"""sales: products, opportunities, quotes, orders, approvals, competitors, rates

Also gives the seeded roles of existing tenants the new "products" and
"margins" permissions, as app/access/seed.py gives them to new tenants.

Revision ID: 0006_sales
Revises: 0004_customers
Create Date: 2026-11-23 08:18:41.904854
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0006_sales'
down_revision = '0004_customers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competitors',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=200), nullable=True),
    sa.Column('products', sa.Text(), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('weaknesses', sa.Text(), nullable=True),
    sa.Column('price_position', sa.String(length=8), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("price_position IS NULL OR price_position IN ('lower', 'similar', 'higher')", name=op.f('ck_competitors_price_position_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitors'))
    )
    op.create_index('ix_competitors_search_vector', 'competitors', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index('uq_competitors_name_lower', 'competitors', [sa.literal_column('lower(name)')], unique=True)
    op.create_table('exchange_rates',
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('rate > 0', name=op.f('ck_exchange_rates_rate_positive')),
    sa.PrimaryKeyConstraint('currency', name=op.f('pk_exchange_rates'))
    )
    op.create_table('price_lists',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('tier', sa.String(length=1), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("tier IS NULL OR tier IN ('A', 'B', 'C')", name=op.f('ck_price_lists_tier_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_lists')),
    sa.UniqueConstraint('tier', 'currency', name='uq_price_lists_tier_currency')
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('list_prices', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('tax_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('cost IS NULL OR cost >= 0', name=op.f('ck_products_cost_not_negative')),
    sa.CheckConstraint('tax_rate >= 0 AND tax_rate <= 100', name=op.f('ck_products_tax_rate_percent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products'))
    )
    op.create_index('ix_products_archived_name', 'products', ['archived_at', 'name'], unique=False)
    op.create_index('ix_products_search_vector', 'products', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index('uq_products_code_lower', 'products', [sa.literal_column('lower(code)')], unique=True)
    op.create_table('approval_rules',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('metric', sa.String(length=30), nullable=False),
    sa.Column('threshold', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('approver', sa.String(length=16), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("approver <> 'role' OR role_id IS NOT NULL", name=op.f('ck_approval_rules_role_given')),
    sa.CheckConstraint("approver IN ('unit_manager', 'director', 'role')", name=op.f('ck_approval_rules_approver_known')),
    sa.CheckConstraint('threshold >= 0', name=op.f('ck_approval_rules_threshold_not_negative')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_approval_rules_role_id_roles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_rules'))
    )
    op.create_table('price_list_items',
    sa.Column('price_list_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_price_list_items_price_not_negative')),
    sa.ForeignKeyConstraint(['price_list_id'], ['price_lists.id'], name=op.f('fk_price_list_items_price_list_id_price_lists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_price_list_items_product_id_products')),
    sa.PrimaryKeyConstraint('price_list_id', 'product_id', name=op.f('pk_price_list_items'))
    )
    op.create_index(op.f('ix_price_list_items_product_id'), 'price_list_items', ['product_id'], unique=False)
    op.create_table('approval_requests',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.Column('approver_role_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'canceled')", name=op.f('ck_approval_requests_status_known')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_approval_requests_approver_id_users')),
    sa.ForeignKeyConstraint(['approver_role_id'], ['roles.id'], name=op.f('fk_approval_requests_approver_role_id_roles')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_approval_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_approval_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['rule_id'], ['approval_rules.id'], name=op.f('fk_approval_requests_rule_id_approval_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_requests'))
    )
    op.create_index('ix_approval_requests_approver_status', 'approval_requests', ['approver_id', 'status'], unique=False)
    op.create_index('ix_approval_requests_document', 'approval_requests', ['document_type', 'document_id'], unique=False)
    op.create_index('ix_approval_requests_role_status', 'approval_requests', ['approver_role_id', 'status'], unique=False)
    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('probability', sa.SmallInteger(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('next_step', sa.String(length=200), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('won_lost_reason', sa.Text(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_opportunities_amount_not_negative')),
    sa.CheckConstraint('probability BETWEEN 0 AND 100', name=op.f('ck_opportunities_probability_percent')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_opportunities_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_opportunities_owner_id_users')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_opportunities_product_id_products')),
    sa.ForeignKeyConstraint(['stage_id'], ['pipeline_stages.id'], name=op.f('fk_opportunities_stage_id_pipeline_stages')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_opportunities_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    op.create_index('ix_opportunities_close', 'opportunities', ['expected_close'], unique=False)
    op.create_index('ix_opportunities_customer_id', 'opportunities', ['customer_id'], unique=False)
    op.create_index('ix_opportunities_owner_live', 'opportunities', ['owner_id', 'deleted_at', 'id'], unique=False)
    op.create_index(op.f('ix_opportunities_product_id'), 'opportunities', ['product_id'], unique=False)
    op.create_index('ix_opportunities_stage_close', 'opportunities', ['stage_id', 'expected_close', 'id'], unique=False)
    op.create_index('ix_opportunities_stage_closed', 'opportunities', ['stage_id', 'closed_on', 'id'], unique=False)
    op.create_index(op.f('ix_opportunities_unit_id'), 'opportunities', ['unit_id'], unique=False)
    op.create_table('opportunity_competitors',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('competitor_id', sa.Integer(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('weaknesses', sa.Text(), nullable=True),
    sa.Column('opportunities', sa.Text(), nullable=True),
    sa.Column('threats', sa.Text(), nullable=True),
    sa.Column('strategy', sa.Text(), nullable=True),
    sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True),
    sa.ForeignKeyConstraint(['competitor_id'], ['competitors.id'], name=op.f('fk_opportunity_competitors_competitor_id_competitors')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_competitors_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id', 'competitor_id', name=op.f('pk_opportunity_competitors'))
    )
    op.create_index(op.f('ix_opportunity_competitors_competitor_id'), 'opportunity_competitors', ['competitor_id'], unique=False)
    op.create_index('ix_opportunity_competitors_search_vector', 'opportunity_competitors', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_table('opportunity_contacts',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_opportunity_contacts_contact_id_contacts')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_contacts_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id', 'contact_id', name=op.f('pk_opportunity_contacts'))
    )
    op.create_index(op.f('ix_opportunity_contacts_contact_id'), 'opportunity_contacts', ['contact_id'], unique=False)
    op.create_table('opportunity_stage_changes',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=True),
    sa.Column('to_stage_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['from_stage_id'], ['pipeline_stages.id'], name=op.f('fk_opportunity_stage_changes_from_stage_id_pipeline_stages')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_stage_changes_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['to_stage_id'], ['pipeline_stages.id'], name=op.f('fk_opportunity_stage_changes_to_stage_id_pipeline_stages')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_opportunity_stage_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity_stage_changes'))
    )
    op.create_index('ix_opportunity_stage_changes_opp_time', 'opportunity_stage_changes', ['opportunity_id', 'changed_at'], unique=False)
    op.create_index('ix_opportunity_stage_changes_to_stage', 'opportunity_stage_changes', ['to_stage_id'], unique=False)
    op.create_table('quotes',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('version', sa.SmallInteger(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('discount_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'pending_approval', 'approved', 'sent', 'accepted', 'rejected', 'expired')", name=op.f('ck_quotes_status_known')),
    sa.CheckConstraint('discount_percent BETWEEN 0 AND 100', name=op.f('ck_quotes_discount_percent')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_quotes_contact_id_contacts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_quotes_customer_id_customers')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_quotes_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_quotes_owner_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_quotes_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('number', 'version', name='uq_quotes_number_version')
    )
    op.create_index('ix_quotes_customer_id', 'quotes', ['customer_id', 'id'], unique=False)
    op.create_index('ix_quotes_opportunity_id', 'quotes', ['opportunity_id'], unique=False)
    op.create_index('ix_quotes_owner_live', 'quotes', ['owner_id', 'is_current', 'id'], unique=False)
    op.create_index(op.f('ix_quotes_unit_id'), 'quotes', ['unit_id'], unique=False)
    op.create_table('orders',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('ordered_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_orders_customer_id_customers')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_orders_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_orders_owner_id_users')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_orders_quote_id_quotes')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_orders_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number')),
    sa.UniqueConstraint('quote_id', name=op.f('uq_orders_quote_id'))
    )
    op.create_index('ix_orders_customer_id', 'orders', ['customer_id', 'id'], unique=False)
    op.create_index(op.f('ix_orders_unit_id'), 'orders', ['unit_id'], unique=False)
    op.create_table('quote_lines',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('tax_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('net_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('quoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('discount_percent BETWEEN 0 AND 100', name=op.f('ck_quote_lines_discount_percent')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_quote_lines_quantity_positive')),
    sa.CheckConstraint('unit_price >= 0', name=op.f('ck_quote_lines_unit_price_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_quote_lines_customer_id_customers')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_quote_lines_product_id_products')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_lines_quote_id_quotes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_lines'))
    )
    op.create_index('ix_quote_lines_price_history', 'quote_lines', ['product_id', 'customer_id', 'quoted_at'], unique=False, postgresql_include=['currency', 'unit_price'])
    op.create_index('ix_quote_lines_quote_id', 'quote_lines', ['quote_id', 'position'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('net_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_order_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    op.create_index('ix_order_lines_order_id', 'order_lines', ['order_id', 'position'], unique=False)
    op.create_index(op.f('ix_order_lines_product_id'), 'order_lines', ['product_id'], unique=False)
    _grant_new_modules()


# The new modules' grants of the seeded roles (app/access/seed.py at this revision).
NEW_GRANTS = {
    "owner": {"products": ["view", "create", "edit", "delete", "export", "admin"],
              "margins": ["view", "create", "edit", "delete", "export", "admin"]},
    "admin": {"products": ["view", "create", "edit", "delete", "export", "admin"],
              "margins": ["view", "create", "edit", "delete", "export", "admin"]},
    "sales_manager": {"products": ["view", "create", "edit", "delete", "export"],
                      "margins": ["view"]},
    "sales_rep": {"products": ["view"]},
    "service_agent": {"products": ["view"]},
    "call_center_agent": {"products": ["view"]},
    "read_only": {"products": ["view"]},
}


def _grant_new_modules():
    import json

    for key, grants in NEW_GRANTS.items():
        op.execute(sa.text(
            "UPDATE roles SET permissions = permissions || CAST(:grants AS jsonb) "
            "WHERE key = :key AND is_system AND NOT permissions ? 'products'"
        ).bindparams(grants=json.dumps(grants), key=key))


def downgrade():
    op.drop_index(op.f('ix_order_lines_product_id'), table_name='order_lines')
    op.drop_index('ix_order_lines_order_id', table_name='order_lines')
    op.drop_table('order_lines')
    op.drop_index('ix_quote_lines_quote_id', table_name='quote_lines')
    op.drop_index('ix_quote_lines_price_history', table_name='quote_lines', postgresql_include=['currency', 'unit_price'])
    op.drop_table('quote_lines')
    op.drop_index(op.f('ix_orders_unit_id'), table_name='orders')
    op.drop_index('ix_orders_customer_id', table_name='orders')
    op.drop_table('orders')
    op.drop_index(op.f('ix_quotes_unit_id'), table_name='quotes')
    op.drop_index('ix_quotes_owner_live', table_name='quotes')
    op.drop_index('ix_quotes_opportunity_id', table_name='quotes')
    op.drop_index('ix_quotes_customer_id', table_name='quotes')
    op.drop_table('quotes')
    op.drop_index('ix_opportunity_stage_changes_to_stage', table_name='opportunity_stage_changes')
    op.drop_index('ix_opportunity_stage_changes_opp_time', table_name='opportunity_stage_changes')
    op.drop_table('opportunity_stage_changes')
    op.drop_index(op.f('ix_opportunity_contacts_contact_id'), table_name='opportunity_contacts')
    op.drop_table('opportunity_contacts')
    op.drop_index('ix_opportunity_competitors_search_vector', table_name='opportunity_competitors', postgresql_using='gin')
    op.drop_index(op.f('ix_opportunity_competitors_competitor_id'), table_name='opportunity_competitors')
    op.drop_table('opportunity_competitors')
    op.drop_index(op.f('ix_opportunities_unit_id'), table_name='opportunities')
    op.drop_index('ix_opportunities_stage_closed', table_name='opportunities')
    op.drop_index('ix_opportunities_stage_close', table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_product_id'), table_name='opportunities')
    op.drop_index('ix_opportunities_owner_live', table_name='opportunities')
    op.drop_index('ix_opportunities_customer_id', table_name='opportunities')
    op.drop_index('ix_opportunities_close', table_name='opportunities')
    op.drop_table('opportunities')
    op.drop_index('ix_approval_requests_role_status', table_name='approval_requests')
    op.drop_index('ix_approval_requests_document', table_name='approval_requests')
    op.drop_index('ix_approval_requests_approver_status', table_name='approval_requests')
    op.drop_table('approval_requests')
    op.drop_index(op.f('ix_price_list_items_product_id'), table_name='price_list_items')
    op.drop_table('price_list_items')
    op.drop_table('approval_rules')
    op.drop_index('uq_products_code_lower', table_name='products')
    op.drop_index('ix_products_search_vector', table_name='products', postgresql_using='gin')
    op.drop_index('ix_products_archived_name', table_name='products')
    op.drop_table('products')
    op.drop_table('price_lists')
    op.drop_table('exchange_rates')
    op.drop_index('uq_competitors_name_lower', table_name='competitors')
    op.drop_index('ix_competitors_search_vector', table_name='competitors', postgresql_using='gin')
    op.drop_table('competitors')
