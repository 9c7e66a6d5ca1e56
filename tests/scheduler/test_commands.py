"""`flask jobs tick` once, and `flask jobs scheduler` as `make run` starts it: it ticks, and
SIGTERM ends it cleanly."""
import os
import time

import sqlalchemy as sa

from app.devserver import start_scheduler, stop_scheduler
from app.extensions import db
from app.scheduler.models import Wakeup

CEILING_S = 120  # bounds the wait for a condition that never comes true; never a timing


def test_flask_jobs_tick_runs_the_named_handler(app, tenant, handler):
    result = app.test_cli_runner().invoke(args=["jobs", "tick", "--only", handler.name])
    assert result.exit_code == 0, result.output
    assert handler.runs_of(tenant) and "0 failed" in result.output


def _tiers_scheduled(app, tenant) -> bool:
    with app.app_context():
        due = db.session.scalars(sa.select(Wakeup.due_at).where(
            Wakeup.tenant_id == tenant.id, Wakeup.handler == "customers.tiers")).first()
        db.session.rollback()
    return due is not None


def test_the_scheduler_loop_ticks_and_stops_cleanly_on_sigterm(app, tenant, database_url, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("TEST_DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="scheduler-test", TENANT_POOL_TARGET="0",
               MAIL_SINK_DIR=str(tmp_path))
    log = open(tmp_path / "scheduler.log", "w+")
    process = start_scheduler(interval="1", env=env, output=log, options=("--only", "customers.tiers"))
    try:
        deadline = time.monotonic() + CEILING_S
        while not _tiers_scheduled(app, tenant) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert _tiers_scheduled(app, tenant), "the scheduler never ran the nightly tiers for the tenant"
        assert stop_scheduler(process) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log.seek(0)
    output = log.read()
    assert "scheduler: a tick every 1 s" in output and "scheduler: stopped" in output
