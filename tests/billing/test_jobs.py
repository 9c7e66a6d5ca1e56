"""`flask billing run` as a queue job: the same idempotent pass, queued (inline without Redis)."""
from datetime import datetime, timedelta, timezone

import time_machine

from app.extensions import db
from billing.jobs import DAILY_RUN, daily_run
from tests.billing.conftest import load, subscribe

START = datetime(2032, 5, 1, 9, 0, tzinfo=timezone.utc)


def test_the_queued_run_ends_an_unpaid_trial_once(app, app_ctx, new_tenant, monkeypatch):
    queued = []
    monkeypatch.setattr("billing.jobs.enqueue", lambda path, *a: (queued.append(path), daily_run()))
    tenant = new_tenant()
    with time_machine.travel(START, tick=False) as traveller:
        sub_id = subscribe(app, tenant, "trialing")
        traveller.move_to(START + timedelta(days=15))
        first = app.test_cli_runner().invoke(args=["billing", "run", "--queue"])
        assert first.exit_code == 0 and "queued" in first.output
        assert queued == [DAILY_RUN]
        db.session.expire_all()
        assert load(sub_id).status == "past_due"
        history = len(load(sub_id).history)
        again = daily_run()  # the same day again: nothing more for this subscription
        db.session.expire_all()
        assert len(load(sub_id).history) == history and again.get("trial_ended", 0) == 0


def test_without_redis_the_job_runs_through_the_real_queue_entry_point(app, app_ctx, new_tenant, monkeypatch):
    """enqueue() resolves billing.jobs.daily_run by its path and runs it inline, committing its work."""
    from app.jobs import enqueue

    monkeypatch.setitem(app.config, "REDIS_URL", None)
    tenant = new_tenant()
    with time_machine.travel(START, tick=False) as traveller:
        sub_id = subscribe(app, tenant, "trialing")
        traveller.move_to(START + timedelta(days=15))  # the trial is over and unpaid
        enqueue(DAILY_RUN)
        db.session.expire_all()
        assert load(sub_id).status == "past_due"
        assert load(sub_id).past_due_since == START + timedelta(days=15)
