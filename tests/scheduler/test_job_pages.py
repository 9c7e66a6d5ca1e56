"""Failed runs: the tenant admin sees (and retries) only their own tenant's; provider staff
see every tenant's; queued jobs are logged too; Redis down loses nothing."""
import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.jobs import enqueue
from app.scheduler.models import JobRun, Wakeup
from app.scheduler.tick import tick
from app.scheduler.wakeups import MAX_ATTEMPTS
from tenants.context import tenant_scope
from tests.conftest import client_as, login
from tests.console import console_client
from tests.scheduler import jobs_for_tests

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


def _fail_until_stopped(app, tenant, handler):
    handler.failing.add(tenant.id)
    when = T0
    for _ in range(MAX_ATTEMPTS):
        with app.app_context():
            tick(when, names=[handler.name])
        when += timedelta(hours=2)


def _failed_run_ids(app, tenant, name) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(JobRun.id).where(
            JobRun.tenant_id == tenant.id, JobRun.name == name, JobRun.status == "failed").order_by(JobRun.id)))


def _wakeup(app, tenant, name) -> Wakeup:
    with app.app_context():
        row = db.session.scalars(sa.select(Wakeup).where(Wakeup.tenant_id == tenant.id, Wakeup.handler == name)).one()
        db.session.expunge(row)
        return row


def test_a_tenant_admin_sees_and_retries_a_stopped_handler_of_their_tenant_only(app, new_tenant, handler):
    mine, theirs = new_tenant(), new_tenant()
    _fail_until_stopped(app, mine, handler)
    run_id = _failed_run_ids(app, mine, handler.name)[-1]

    admin = client_as(app, mine, "admin")
    page = admin.get(f"/t/{mine.slug}/admin/jobs?failed=1").get_data(as_text=True)
    assert f"RuntimeError: boom for tenant {mine.id}" in page and 'data-testid="stopped-jobs"' in page
    assert f'/admin/jobs/{run_id}/retry' in page

    # The other tenant's admin: not on their page, and the id is not found.
    other_admin = client_as(app, theirs, "admin")
    assert f"boom for tenant {mine.id}" not in other_admin.get(f"/t/{theirs.slug}/admin/jobs").get_data(as_text=True)
    assert other_admin.post(f"/t/{theirs.slug}/admin/jobs/{run_id}/retry").status_code == 404
    assert _wakeup(app, mine, handler.name).failed_at is not None
    # A sales rep of the same tenant may not look.
    rep = client_as(app, mine, "sales_rep")
    assert rep.get(f"/t/{mine.slug}/admin/jobs").status_code == 403

    # Retry: due now and cleared; the next tick runs it, and it works this time.
    handler.failing.clear()
    response = admin.post(f"/t/{mine.slug}/admin/jobs/{run_id}/retry")
    assert response.status_code == 302
    row = _wakeup(app, mine, handler.name)
    assert row.failed_at is None and row.attempts == 0
    assert row.due_at <= datetime.now(timezone.utc)
    before = len(handler.runs_of(mine))
    with app.app_context():
        tick(names=[handler.name])
    assert len(handler.runs_of(mine)) == before + 1
    # A second click on the same run does nothing more.
    admin.post(f"/t/{mine.slug}/admin/jobs/{run_id}/retry")
    assert _wakeup(app, mine, handler.name).due_at > datetime.now(timezone.utc)
    page = admin.get(f"/t/{mine.slug}/admin/jobs").get_data(as_text=True)
    assert f'/admin/jobs/{run_id}/retry' not in page and "retried" in page


def test_provider_staff_see_failed_runs_of_every_tenant_and_retry_them(app, new_tenant, handler):
    first, second = new_tenant(), new_tenant()
    handler.failing.update({first.id, second.id})
    with app.app_context():
        tick(T0, names=[handler.name])
    console = console_client(app, "support")
    page = console.get("/provider/jobs").get_data(as_text=True)
    assert first.slug in page and second.slug in page
    assert f"boom for tenant {first.id}" in page and f"boom for tenant {second.id}" in page

    run_id = _failed_run_ids(app, second, handler.name)[0]
    handler.failing.clear()
    assert console.post(f"/provider/jobs/{run_id}/retry").status_code == 302
    with app.app_context():
        tick(T0 + timedelta(seconds=30), names=[handler.name])  # before its backoff ends
    assert len(handler.runs_of(second)) == 2 and len(handler.runs_of(first)) == 1
    assert console.post("/provider/jobs/999999999/retry").status_code == 404


def test_a_queued_job_that_fails_is_logged_and_retried_by_the_admin(app, tenant, monkeypatch):
    monkeypatch.setitem(jobs_for_tests.FAILING, "on", True)
    label = f"import-{tenant.slug}"
    with app.test_request_context(), tenant_scope(tenant):
        try:
            enqueue("tests.scheduler.jobs_for_tests.flaky", tenant.id, label)
        except ValueError:
            pass  # inline, the job's error reaches the caller as before; the log keeps it too
    with app.app_context():
        run = db.session.scalars(sa.select(JobRun).where(JobRun.tenant_id == tenant.id, JobRun.kind == "queued")
                                 .order_by(JobRun.id.desc())).first()
        assert run.status == "failed" and run.error == f"ValueError: flaky job {label} failed"
        assert run.job_args == {"path": "tests.scheduler.jobs_for_tests.flaky", "args": [tenant.id, label],
                                "kwargs": {}}
        run_id = run.id

    admin = client_as(app, tenant, "admin")
    assert "flaky job" in admin.get(f"/t/{tenant.slug}/admin/jobs").get_data(as_text=True)
    monkeypatch.setitem(jobs_for_tests.FAILING, "on", False)
    assert admin.post(f"/t/{tenant.slug}/admin/jobs/{run_id}/retry").status_code == 302
    assert (tenant.id, label) in jobs_for_tests.DONE
    with app.app_context():
        statuses = db.session.scalars(sa.select(JobRun.status).where(
            JobRun.tenant_id == tenant.id, JobRun.kind == "queued").order_by(JobRun.id)).all()
    assert statuses[-2:] == ["failed", "done"]


def test_with_redis_unreachable_the_tick_and_the_queue_run_inline_and_lose_nothing(app, tenant, handler, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    with app.app_context():
        result = tick(T0, names=[handler.name])
    assert result.queued >= 1 and handler.runs_of(tenant) == [T0]
    assert _wakeup(app, tenant, handler.name).due_at == T0 + timedelta(hours=1)
    assert "Redis unavailable" in caplog.text

    monkeypatch.setitem(jobs_for_tests.FAILING, "on", False)
    with app.test_request_context(), tenant_scope(tenant):
        enqueue("tests.scheduler.jobs_for_tests.flaky", tenant.id, "while-redis-is-down")
    assert (tenant.id, "while-redis-is-down") in jobs_for_tests.DONE


def test_the_owner_reaches_the_page_from_the_admin_tabs(app, tenant, owner_client):
    page = owner_client.get(f"/t/{tenant.slug}/admin/users").get_data(as_text=True)
    assert re.search(rf'href="/t/{tenant.slug}/admin/jobs"', page)
    assert owner_client.get(f"/t/{tenant.slug}/admin/jobs").status_code == 200
