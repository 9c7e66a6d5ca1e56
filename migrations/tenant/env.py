"""Alembic environment for the tenant history (authoring only; see migrations/README.md).

Autogenerate compares the tenant models with a scratch schema brought to the
current head first (in a child process: Alembic's proxies allow one
environment per process), then dropped again.
"""
import subprocess
import sys

from alembic import context

from app import create_app
from app.extensions import db
from app.tenant_schema import metadata
from tenants.context import set_schema_on

SCRATCH = "migration_scratch"
BRING_TO_HEAD = f"""
from app import create_app
from app.extensions import db
from tenants.migrating import upgrade_tenant_schema
with create_app().app_context(), db.engine.connect() as connection:
    upgrade_tenant_schema(connection, "{SCRATCH}")
"""

app = create_app()
with app.app_context(), db.engine.connect() as connection:
    connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE")
    connection.exec_driver_sql(f"CREATE SCHEMA {SCRATCH}")
    connection.commit()
    subprocess.run([sys.executable, "-c", BRING_TO_HEAD], check=True)
    try:
        with connection.begin():
            set_schema_on(connection, SCRATCH)
            context.configure(
                connection=connection, target_metadata=metadata, version_table_schema=SCRATCH,
                include_name=lambda name, type_, _: not (type_ == "table" and name == "alembic_version"),
            )
            context.run_migrations()
    finally:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE")
        connection.commit()
