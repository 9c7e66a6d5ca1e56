"""A gunicorn worker killed in the middle of a request that writes: nothing of it stays
(no customer, no used-up number), and the app goes on serving."""
import os
import signal
import threading
import time

import psutil
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.customers.models import Customer
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD
from tests.faults.test_redis_down import _opener, _post_form
from tests.live_server import gunicorn


def _workers(base: str) -> list[psutil.Process]:
    """The worker processes of the gunicorn serving base (children of its master)."""
    bind = base.removeprefix("http://")
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if bind in cmdline and any(part.endswith("gunicorn") for part in cmdline):
            return process.children()
    raise AssertionError(f"no gunicorn on {bind}")


def _wait_for_lock_wait(engine, timeout: float = 60) -> None:
    """Until some backend of this database waits on a lock (the request, mid-write)."""
    deadline = time.monotonic() + timeout
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'").scalar()
            connection.rollback()
            if waiting:
                return
            time.sleep(0.1)
    raise AssertionError("the request never reached its insert")


def test_a_worker_killed_mid_request_leaves_no_half_written_record(
        app, database_url, tenant, tmp_path):
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=1, threads=2) as base:
        browser = _opener()
        login = f"{base}/t/{tenant.slug}/login"
        assert _post_form(browser, login, login, {
            "email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD})[0] == 200
        new = f"{base}/t/{tenant.slug}/customers/new"
        with app.app_context():
            engine = db.engine
            blocker = Session(engine)
            with tenant_scope(tenant, session=blocker):
                # An uncommitted customer holding the code the request will take (C000001):
                # the request numbers its customer, then waits on the unique index.
                blocker.add(Customer(code="C000001", name="Blocker", kind="company",
                                     type="customer", currency="CNY", tags=[], custom={}))
                blocker.flush()
                (worker,) = _workers(base)
                request = threading.Thread(target=lambda: _safe_post(browser, new))
                request.start()
                _wait_for_lock_wait(engine)
                os.kill(worker.pid, signal.SIGKILL)  # mid-request
                worker.wait(10)
                blocker.rollback()
            blocker.close()
            request.join(30)

        # The master starts a new worker; the request's work is gone, number included.
        assert _post_form(browser, new, new, {
            "name": "After the crash", "kind": "company", "type": "customer",
            "currency": "CNY", "tier": ""})[0] == 200
        with app.app_context(), tenant_scope(tenant):
            rows = db.session.execute(sa.select(Customer.code, Customer.name)).all()
        assert rows == [("C000001", "After the crash")]


def _safe_post(browser, url):
    try:
        _post_form(browser, url, url, {"name": "Half written", "kind": "company",
                                       "type": "customer", "currency": "CNY", "tier": ""})
    except OSError:
        pass  # the worker died under it: the connection is cut, as for a browser
