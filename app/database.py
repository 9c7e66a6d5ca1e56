"""Where the PostgreSQL server comes from.

With DATABASE_URL set, that server is used. Without it, an embedded
PostgreSQL 16 (the pgserver wheel) is started under instance/ and shared by
every process of this checkout; it stops when the last process using it exits.
"""
import atexit
import logging
import warnings
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

# Every connection starts with an empty search_path: an unqualified table name
# resolves to nothing until the tenancy module names a tenant's schema for the
# current transaction. Public tables are always schema-qualified.
CONNECT_ARGS = {"options": "-c search_path="}


def sqlalchemy_url(url: str) -> str:
    """Normalize postgres:// and postgresql:// URLs to the psycopg2 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def embedded_server_url(pgdata: Path, database: str, for_tests: bool = False) -> str:
    """Start (or join) the embedded server under pgdata and make sure `database` exists."""
    # pgserver is imported lazily: deployments with DATABASE_URL never need it.
    # Its runtime directory falls back to /tmp when XDG_RUNTIME_DIR is unset; say nothing.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    # Made here, not by pgserver: its own mkdir(exist_ok=False) runs outside its lock, so
    # two processes starting at once on a fresh checkout (test workers, gunicorn workers)
    # would race. Initialising and starting the server is done under pgserver's lock.
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # Registered after pgserver's own exit handler, so it runs first (atexit is LIFO).
    atexit.register(_forget_dead_users, server)
    admin_url = sqlalchemy_url(server.get_uri("postgres"))
    if for_tests:
        _tune_for_tests(admin_url)
    create_database_if_missing(admin_url, database)
    return sqlalchemy_url(server.get_uri(database))


def _forget_dead_users(server) -> None:
    """pgserver stops the server when the last process on its list of users exits. A
    process killed with SIGKILL (a gunicorn worker that hung past the graceful timeout)
    never takes itself off that list, and the server would outlive everyone: drop the
    dead from the list before this process leaves."""
    import psutil

    with server._lock:
        users = server.global_process_id_list.get()
        server.global_process_id_list.put([pid for pid in users if psutil.pid_exists(pid)])


def _tune_for_tests(admin_url: str) -> None:
    """Test data is thrown away, so the test server need not wait for the disk."""
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.exec_driver_sql("SHOW fsync").scalar() == "on":
            conn.exec_driver_sql("ALTER SYSTEM SET fsync = off")
            conn.exec_driver_sql("ALTER SYSTEM SET synchronous_commit = off")
            conn.exec_driver_sql("ALTER SYSTEM SET full_page_writes = off")
            conn.exec_driver_sql("SELECT pg_reload_conf()")
    engine.dispose()


def create_database_if_missing(admin_url: str, database: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).scalar()
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    engine.dispose()


def resolve_database_url(configured: str | None, instance_path: Path,
                         pgdata: str | None = None) -> str:
    if configured:
        return sqlalchemy_url(configured)
    return embedded_server_url(Path(pgdata) if pgdata else instance_path / "pgdata", "kehu")


def ping_on_checkout(engine, skip) -> None:
    """The pool's pre-ping (one `SELECT 1` round trip when a connection leaves the pool, so
    one that died there is replaced), except for checkouts where skip() is true: those whose
    first statement checks the connection anyway and is retried on a fresh one if it died
    (a workspace request's registry statement, tenants.context.enter_workspace)."""

    @event.listens_for(engine, "checkout")
    def ping(dbapi_connection, _record, _proxy):
        if skip():
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("connection lost while in the pool") from error
            raise
