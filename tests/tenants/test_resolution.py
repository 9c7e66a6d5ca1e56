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
