"""The sales benchmark's data, generated in SQL (INSERT … SELECT generate_series): seconds,
not minutes, for half a million quote lines. Deterministic (setseed)."""
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.forecast.rates import set_rate
from app.products.search import product_document
from app.search.builder import vector_literal

USERS = 25
CUSTOMERS = 2_000
PRODUCTS = 1_000
OPPORTUNITIES = 20_000
QUOTES = 50_000
LINES_PER_QUOTE = 10

STATEMENTS = [
    "SELECT setseed(0.42)",
    # HQ → 4 regions → 20 stores; a sales rep in each store, managers on the regions.
    "INSERT INTO units (name, kind) VALUES ('HQ', 'head_office')",
    "INSERT INTO units (name, kind, parent_id) SELECT 'Region ' || n, 'region', 1 "
    "FROM generate_series(1, 4) n",
    "INSERT INTO units (name, kind, parent_id) SELECT 'Store ' || n, 'store', 2 + n % 4 "
    "FROM generate_series(1, 20) n",
    "INSERT INTO users (email, name, role_id, unit_id, password_hash, active, session_version, "
    "recovery_code_hashes) "
    "SELECT 'rep' || n || '@bench.example', '销售 ' || n, "
    "(SELECT id FROM roles WHERE key = 'sales_rep'), 6 + n % 20, 'x', true, 1, '[]' "
    f"FROM generate_series(1, {USERS - 1}) n",
    "INSERT INTO customers (code, name, kind, type, tier, tier_is_manual, currency, "
    "sales_volume, tags, custom, owner_id, unit_id) "
    "SELECT 'C' || lpad(n::text, 6, '0'), '客户 ' || n, 'company', 'customer', "
    "(ARRAY['A', 'B', 'C'])[1 + n % 3], false, 'CNY', 0, '{}', '{}', 2 + n % 24, 6 + n % 20 "
    f"FROM generate_series(1, {CUSTOMERS}) n",
    "INSERT INTO products (code, name, category, unit, list_prices, cost, tax_rate) "
    "SELECT 'P' || lpad(n::text, 5, '0'), '产品 ' || n, 'Cat ' || n % 10, 'pcs', "
    "jsonb_build_object('CNY', (100 + n)::text || '.00'), 50 + n / 2, 13 "
    f"FROM generate_series(1, {PRODUCTS}) n",
    "INSERT INTO opportunities (name, customer_id, owner_id, unit_id, amount, currency, "
    "expected_close, stage_id, probability, product_id, closed_on, custom) "
    "SELECT 'Deal ' || n, 1 + n % " + str(CUSTOMERS) + ", 1 + n % " + str(USERS) + ", "
    "6 + n % 20, round((random() * 200000)::numeric, 2), "
    "CASE WHEN n % 10 = 0 THEN 'USD' ELSE 'CNY' END, "
    "date '2026-01-01' + (n % 540), 1 + n % 6, (ARRAY[10, 25, 50, 75, 100, 0])[1 + n % 6], "
    "1 + n % " + str(PRODUCTS) + ", "
    "CASE WHEN n % 6 IN (4, 5) THEN date '2026-01-01' + (n % 365) END, '{}' "
    f"FROM generate_series(1, {OPPORTUNITIES}) n",
    "INSERT INTO opportunity_stage_changes (opportunity_id, from_stage_id, to_stage_id, changed_at) "
    "SELECT id, NULL, 1, now() - interval '60 days' FROM opportunities",
    "INSERT INTO opportunity_stage_changes (opportunity_id, from_stage_id, to_stage_id, changed_at) "
    "SELECT id, 1, stage_id, now() - (id % 50) * interval '1 day' FROM opportunities "
    "WHERE stage_id <> 1",
    "INSERT INTO quotes (number, version, is_current, customer_id, owner_id, unit_id, status, "
    "currency, discount_percent, subtotal, discount_amount, tax_amount, total, sent_at, created_at) "
    "SELECT 'Q' || lpad(n::text, 6, '0'), 1, true, 1 + n % " + str(CUSTOMERS) + ", "
    "1 + n % " + str(USERS) + ", 6 + n % 20, 'sent', 'CNY', 0, 0, 0, 0, 0, "
    "now() - (n % 700) * interval '1 day', now() - (n % 700) * interval '1 day' "
    f"FROM generate_series(1, {QUOTES}) n",
    "INSERT INTO quote_lines (quote_id, position, product_id, code, name, unit, quantity, "
    "unit_price, discount_percent, tax_rate, net_amount, tax_amount, customer_id, currency, "
    "quoted_at) "
    "SELECT q.id, l, p.id, p.code, p.name, 'pcs', 1 + (q.id + l) % 20, "
    "round(((100 + p.id) * (0.8 + random() * 0.3))::numeric, 2), 0, 13, 0, 0, q.customer_id, 'CNY', q.sent_at "
    "FROM quotes q CROSS JOIN generate_series(1, " + str(LINES_PER_QUOTE) + ") l "
    "JOIN products p ON p.id = 1 + (q.id * 7 + l * 131) % " + str(PRODUCTS),
    "UPDATE quote_lines SET net_amount = round(quantity * unit_price, 2), "
    "tax_amount = round(quantity * unit_price * 0.13, 2)",
    "INSERT INTO counters (name, value) VALUES ('quote', " + str(QUOTES) + ")",
    "ANALYZE units", "ANALYZE users", "ANALYZE customers", "ANALYZE products",
    "ANALYZE opportunities", "ANALYZE opportunity_stage_changes", "ANALYZE quotes",
    "ANALYZE quote_lines",
]


def _index_products() -> None:
    """Search vectors the way the app computes them (the search builder's tokenizer)."""
    rows = db.session.execute(sa.text(
        "SELECT id, code, name, category, description FROM products")).all()
    db.session.execute(
        sa.text("UPDATE products SET search_vector = CAST(:vector AS tsvector) WHERE id = :id"),
        [{"id": row.id, "vector": vector_literal(product_document(row))} for row in rows])


def fill() -> dict:
    """Fill the current tenant; returns the row counts."""
    for statement in STATEMENTS:
        db.session.execute(sa.text(statement))
    _index_products()
    set_rate("USD", Decimal("7.1234"))
    count = lambda table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: E731
    return {"opportunities": count("opportunities"), "quotes": count("quotes"),
            "quote_lines": count("quote_lines")}
