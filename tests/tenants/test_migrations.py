"""The tenant history and the provisioning DDL agree; migrating every schema is robust."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.public_schema import metadata as public_metadata
from app.tenant_schema import metadata as tenant_metadata
from tenants.context import set_schema_on
from tenants.migrating import head_revision, schema_versions, upgrade_tenant_schema
from tenants.models import Tenant

pytestmark = pytest.mark.xdist_group("registry")  # these tests add registry rows others see

SHAPE_SQL = """
SELECT 'col', table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
       || ' ' || coalesce(column_default, '')
FROM information_schema.columns WHERE table_schema = :s
UNION ALL
SELECT 'con', conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = CAST(:s AS regnamespace)
UNION ALL
SELECT 'idx', indexname || ' ' || regexp_replace(indexdef, ' ON \\S+', ' ON ')
FROM pg_indexes WHERE schemaname = :s
UNION ALL
SELECT 'trg', pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = CAST(:s AS regnamespace) AND NOT t.tgisinternal
UNION ALL
SELECT 'fn', proname || ' ' || prosrc FROM pg_proc WHERE pronamespace = CAST(:s AS regnamespace)
"""


def _shape(connection, schema):
    rows = connection.execute(sa.text(SHAPE_SQL), {"s": schema}).all()
    return sorted(f"{kind} {text.replace(schema + '.', '')}" for kind, text in rows)


def test_replaying_the_history_gives_the_schema_provisioning_builds(app_ctx, tenant):
    with db.engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS history_replay CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA history_replay")
        connection.commit()
        upgrade_tenant_schema(connection, "history_replay")
        try:
            replayed = _shape(connection, "history_replay")
            assert len(replayed) > 30  # columns, constraints and indexes of every table
            assert replayed == _shape(connection, tenant.schema_name)
        finally:
            connection.rollback()
            connection.exec_driver_sql("DROP SCHEMA history_replay CASCADE")
            connection.commit()


def test_models_match_the_tenant_history(app_ctx, tenant):
    with db.engine.connect() as connection, connection.begin():
        set_schema_on(connection, tenant.schema_name)
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, type_, _: not (type_ == "table" and name == "alembic_version"),
        })
        assert compare_metadata(context, tenant_metadata) == []


def test_models_match_the_public_history(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_schemas": True,
            "include_name": lambda name, type_, _: (
                name == "public" if type_ == "schema" else name != "alembic_version"),
        })
        assert compare_metadata(context, public_metadata) == []


def _register(schema, status="pooled"):
    tenant = Tenant(slug=None, name="", schema_name=schema, status=status)
    db.session.add(tenant)
    db.session.commit()
    return tenant


def test_migrate_brings_every_schema_to_head_and_reports_a_broken_one(app, app_ctx, tenant):
    connection = db.session.connection()
    connection.exec_driver_sql("DROP SCHEMA IF EXISTS pool_behind CASCADE")
    connection.exec_driver_sql("CREATE SCHEMA pool_behind")  # at no version yet
    db.session.commit()
    behind, broken = _register("pool_behind"), _register("pool_missing")  # no such schema
    try:
        result = app.test_cli_runner().invoke(args=["tenants", "migrate", "--jobs", "2"])
        assert result.exit_code == 1
        assert "FAILED pool_missing" in result.output
        assert "1 migrated, 1 failed" in result.output
        versions = schema_versions(db.session.connection(), ["pool_behind", tenant.schema_name])
        assert versions == {"pool_behind": head_revision("tenant"),
                            tenant.schema_name: head_revision("tenant")}
        status = app.test_cli_runner().invoke(args=["tenants", "status"])
        assert "pool_missing" in status.output and "BEHIND" in status.output
    finally:
        db.session.rollback()
        db.session.delete(db.session.get(Tenant, behind.id))
        db.session.delete(db.session.get(Tenant, broken.id))
        db.session.connection().exec_driver_sql("DROP SCHEMA IF EXISTS pool_behind CASCADE")
        db.session.commit()
