"""Request → tenant: one round trip, and never a stale registry.

A workspace request reads its registry row in the same statement that puts the
schema on its transaction, so routing costs one statement and a suspension or a
drop committed by anyone (another process, another thread) is seen by the very
next request.
"""
import urllib.error
import urllib.request
from contextlib import contextmanager

import sqlalchemy as sa

from app.extensions import db
from tenants import provisioning
from tenants.models import Tenant
from tests.live_server import gunicorn


@contextmanager
def statements(app):
    """The SQL statements the app's engine sends while the block runs."""
    sent = []

    def record(_conn, _cursor, statement, *_args):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_tenant_routing_costs_one_statement_per_request(app, tenant, client):
    with statements(app) as sent:
        assert client.get(f"/t/{tenant.slug}/login").status_code == 200
    routing = [s for s in sent if "search_path" in s or "public.tenants" in s]
    assert len(routing) == 1, routing
    assert "FROM public.tenants" in routing[0] and "set_config('search_path'" in routing[0]


def test_an_unknown_workspace_is_a_404_with_an_empty_path(app, client):
    with statements(app) as sent:
        assert client.get("/t/no-such-workspace/login").status_code == 404
    assert not any("FROM customers" in s or "FROM users" in s for s in sent)


def _status(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _set_status(app, tenant_id: int, status: str) -> None:
    with app.app_context():
        db.session.get(Tenant, tenant_id).status = status
        db.session.commit()


def test_suspension_and_drop_are_seen_by_the_next_request_in_other_processes(
        app, database_url, new_tenant, tmp_path):
    tenant = new_tenant()
    dashboard = f"/t/{tenant.slug}/"
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=2, threads=4) as base:
        # Both workers and several of their threads serve the workspace first.
        assert {_status(base + dashboard) for _ in range(16)} == {302}  # to the log-in page

        _set_status(app, tenant.id, "suspended")
        assert _status(base + dashboard) == 403  # the explanation page, at once
        assert {_status(base + dashboard) for _ in range(8)} == {403}

        _set_status(app, tenant.id, "active")
        assert _status(base + dashboard) == 302

        _set_status(app, tenant.id, "canceled")
        with app.app_context():
            provisioning.drop_tenant(db.session.get(Tenant, tenant.id))
            db.session.commit()
        assert _status(base + dashboard) == 404
        assert {_status(base + f"/t/{tenant.slug}/login") for _ in range(8)} == {404}


@contextmanager
def pings(app):
    """How many liveness pings the pool sends while the block runs."""
    with app.app_context():
        dialect = db.engine.dialect
    sent = []
    original = dialect.do_ping

    def counted(dbapi_connection):
        sent.append(1)
        return original(dbapi_connection)

    dialect.do_ping = counted
    try:
        yield sent
    finally:
        dialect.do_ping = original


def test_a_workspace_request_does_not_ping_a_plain_one_does(app, tenant, client):
    """The registry statement is the workspace request's connection check: no extra round trip."""
    with pings(app) as sent:
        assert client.get(f"/t/{tenant.slug}/login").status_code == 200
    assert sent == []
    with app.app_context(), pings(app) as sent:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    assert sent == [1]


def test_a_connection_that_died_in_the_pool_is_replaced_without_an_error(app, tenant, client):
    """No ping, yet a pooled connection killed by the server costs the user nothing."""
    assert client.get(f"/t/{tenant.slug}/login").status_code == 200
    with app.app_context():
        engine = db.engine
    pids = []
    held = [engine.raw_connection() for _ in range(engine.pool.checkedin())]
    for connection in held:
        cursor = connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        pids.append(cursor.fetchone()[0])
        cursor.close()
        connection.rollback()
    for connection in held:
        connection.close()  # back to the pool, alive as far as the pool knows
    killer = sa.create_engine(engine.url)
    with killer.connect() as connection:
        for pid in pids:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    assert pids
    with statements(app) as sent:
        assert client.get(f"/t/{tenant.slug}/login").status_code == 200
    assert sum("public.tenants" in s for s in sent) == 2  # the dead one, then a fresh one
