"""Every tenant schema is self-contained: the condition for Citus schema-based sharding
(docs/SCALING.md), where a distributed schema lives whole on one node and only
reference tables (public) may be reached from it."""
import sqlalchemy as sa

from app.extensions import db


def test_tenant_foreign_keys_reference_only_their_own_schema_or_public(app_ctx, new_tenant):
    tenants = [new_tenant(), new_tenant()]
    schemas = [t.schema_name for t in tenants]
    rows = db.session.execute(sa.text("""
        SELECT src.nspname AS schema, c.conname, dst.nspname AS target
        FROM pg_constraint c
        JOIN pg_class srct ON srct.oid = c.conrelid JOIN pg_namespace src ON src.oid = srct.relnamespace
        JOIN pg_class dstt ON dstt.oid = c.confrelid JOIN pg_namespace dst ON dst.oid = dstt.relnamespace
        WHERE c.contype = 'f' AND src.nspname = ANY(:schemas)
    """), {"schemas": schemas}).all()
    assert rows, "tenant schemas have foreign keys to check"
    outside = [row for row in rows if row.target not in (row.schema, "public")]
    assert outside == []


def test_nothing_in_a_tenant_schema_depends_on_another_tenant_schema(app_ctx, new_tenant):
    """Views, sequences, defaults, indexes: no object of one tenant schema refers to an
    object in another (pg_depend across schemas other than public and the catalogs)."""
    tenants = [new_tenant(), new_tenant()]
    schemas = [t.schema_name for t in tenants]
    rows = db.session.execute(sa.text("""
        WITH objects AS (
            SELECT c.oid, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        )
        SELECT a.nspname AS schema, b.nspname AS target
        FROM pg_depend d
        JOIN objects a ON a.oid = d.objid JOIN objects b ON b.oid = d.refobjid
        WHERE a.nspname = ANY(:schemas) AND b.nspname <> a.nspname
          AND b.nspname NOT IN ('public', 'pg_catalog', 'information_schema')
    """), {"schemas": schemas}).all()
    assert rows == []


def test_tenant_tables_are_unqualified_and_public_ones_qualified(app):
    """Tenant SQL names no schema, so a query reaches its own schema and public only:
    it cannot join across tenant schemas."""
    tenant_schema, public_schema = app.extensions["tenant_schema"], app.extensions["public_schema"]
    assert {table.schema for table in tenant_schema.metadata.tables.values()} == {None}
    assert {table.schema for table in public_schema.metadata.tables.values()} == {"public"}
