"""Applying the two Alembic histories: public once, tenant to every tenant schema.

Each tenant schema is migrated in its own transaction (DDL is transactional in
PostgreSQL, so a failed schema stays wholly at its old version), several
schemas at once in worker processes (Alembic's `op` proxy is process-global,
so threads cannot share it). A failing schema is reported and the others go on.
Rerunning is the resume: schemas already at head are skipped.
"""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory

from app.database import CONNECT_ARGS
from tenants.context import set_schema_on
from tenants.schema_names import checked_schema_name

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@lru_cache(maxsize=2)
def alembic_config(history: str) -> Config:
    """history is "public" or "tenant"."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR / history))
    return config


@lru_cache(maxsize=2)
def script_directory(history: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(history))


def head_revision(history: str) -> str:
    return script_directory(history).get_current_head()


def upgrade_on_connection(connection, history: str, version_schema: str,
                          destination: str = "head") -> None:
    """Run the history's pending migrations on connection's open transaction."""
    script = script_directory(history)

    def pending(revision, _context):
        return script._upgrade_revs(destination, revision)

    with EnvironmentContext(alembic_config(history), script, fn=pending, destination_rev=destination) as env:
        env.configure(connection=connection, version_table_schema=version_schema)
        env.run_migrations()


def upgrade_public(engine) -> None:
    with engine.connect() as connection, connection.begin():
        upgrade_on_connection(connection, "public", "public")


def upgrade_tenant_schema(connection, schema: str, destination: str = "head") -> None:
    with connection.begin():
        set_schema_on(connection, schema)
        upgrade_on_connection(connection, "tenant", checked_schema_name(schema), destination)


def schema_versions(connection, schemas: list[str]) -> dict[str, str | None]:
    """Each schema's applied tenant revision (None where none is recorded), in one query."""
    if not schemas:
        return {}
    existing = set(connection.execute(
        sa.text("SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'alembic_version' AND table_schema = ANY(:names)"),
        {"names": schemas},
    ).scalars())
    parts = [
        f"SELECT '{name}' AS schema, version_num FROM \"{name}\".alembic_version"
        for name in map(checked_schema_name, schemas) if name in existing
    ]
    versions = dict.fromkeys(schemas)
    if parts:
        versions.update(connection.exec_driver_sql(" UNION ALL ".join(parts)).all())
    return versions


@dataclass
class SchemaResult:
    schema: str
    ok: bool
    error: str = ""


_worker_engine = None


def _init_worker(url: str) -> None:
    global _worker_engine
    _worker_engine = sa.create_engine(url, connect_args=CONNECT_ARGS, pool_size=1)


def _migrate_one(schema: str, destination: str) -> SchemaResult:
    try:
        with _worker_engine.connect() as connection:
            upgrade_tenant_schema(connection, schema, destination)
        return SchemaResult(schema, True)
    except Exception as exc:  # reported per schema; the run goes on
        return SchemaResult(schema, False, f"{type(exc).__name__}: {exc}".splitlines()[0])


def migrate_schemas(url: str, schemas: list[str], jobs: int = 4, destination: str = "head",
                    on_done=None) -> list[SchemaResult]:
    """Migrate schemas in `jobs` worker processes; on_done(result) is called as each ends."""
    results = []
    if not schemas:
        return results
    if jobs <= 1:
        _init_worker(url)
        for schema in schemas:
            results.append(_migrate_one(schema, destination))
            if on_done:
                on_done(results[-1])
        _worker_engine.dispose()
        return results
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(url,)) as pool:
        futures = [pool.submit(_migrate_one, schema, destination) for schema in schemas]
        for future in as_completed(futures):
            results.append(future.result())
            if on_done:
                on_done(results[-1])
    return results
