"""The tick: due handlers only, wake_at, exactly once under two ticks at once, backoff and
failure marking, one tenant's failure never stopping the others, inactive tenants skipped."""
import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.scheduler import wake_at
from app.scheduler.models import JobRun, Wakeup
from app.scheduler.tick import tick
from app.scheduler.wakeups import MAX_ATTEMPTS
from tenants.context import tenant_scope
from tenants.models import Tenant

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


def _wakeup(app, tenant, name) -> Wakeup:
    with app.app_context():
        row = db.session.scalars(sa.select(Wakeup).where(Wakeup.tenant_id == tenant.id,
                                                         Wakeup.handler == name)).one()
        db.session.expunge(row)
        return row


def _runs(app, tenant, name) -> list[JobRun]:
    with app.app_context():
        rows = db.session.scalars(sa.select(JobRun).where(JobRun.tenant_id == tenant.id, JobRun.name == name)
                                  .order_by(JobRun.id)).all()
        db.session.expunge_all()
        return rows


def test_a_tick_runs_only_what_is_due(app, tenant, handler):
    # A tenant with no row yet is due at once; the handler says when it next has work.
    with app.app_context():
        tick(T0, names=[handler.name])
    assert handler.runs_of(tenant) == [T0]
    assert _wakeup(app, tenant, handler.name).due_at == T0 + timedelta(hours=1)

    with app.app_context():
        tick(T0 + timedelta(minutes=30), names=[handler.name])
    assert handler.runs_of(tenant) == [T0]  # not due yet

    # Something scheduled for 09:40 brings it forward; a later wake_at changes nothing.
    with app.app_context(), tenant_scope(tenant):
        wake_at(handler.name, T0 + timedelta(minutes=40))
        wake_at(handler.name, T0 + timedelta(hours=5))
        db.session.commit()
    with app.app_context():
        tick(T0 + timedelta(minutes=39), names=[handler.name])
        tick(T0 + timedelta(minutes=40), names=[handler.name])
    assert handler.runs_of(tenant) == [T0, T0 + timedelta(minutes=40)]

    # None: nothing more until someone calls wake_at.
    handler.next = lambda now: None
    with app.app_context():
        tick(T0 + timedelta(hours=2), names=[handler.name])
        tick(T0 + timedelta(days=30), names=[handler.name])
    assert len(handler.runs_of(tenant)) == 3
    assert _wakeup(app, tenant, handler.name).due_at is None
    assert [run.status for run in _runs(app, tenant, handler.name)] == ["done"] * 3


def test_wake_at_in_a_rolled_back_transaction_is_forgotten(app, tenant, handler):
    with app.app_context():
        tick(T0, names=[handler.name])
    with app.app_context(), tenant_scope(tenant):
        wake_at(handler.name, T0 + timedelta(minutes=5))
        db.session.rollback()
    with app.app_context():
        tick(T0 + timedelta(minutes=10), names=[handler.name])
    assert handler.runs_of(tenant) == [T0]


def test_two_ticks_at_once_run_each_tenants_handler_once(app, new_tenant, handler):
    tenants = [new_tenant() for _ in range(3)]
    start = threading.Barrier(2)
    # Each run lasts long enough for the other tick to be looking for due rows meanwhile.
    handler.during = lambda: threading.Event().wait(0.05)
    errors = []

    def one_tick():
        try:
            with app.app_context():
                start.wait(30)
                tick(T0, names=[handler.name])
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=one_tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    for one in tenants:
        assert handler.runs_of(one) == [T0]
    # every tenant in the database ran once, none twice
    ran = [tenant_id for tenant_id, _ in handler.calls]
    assert len(ran) == len(set(ran))


def test_a_failing_handler_backs_off_then_is_marked_failed_and_others_go_on(app, new_tenant, handler):
    broken, fine = new_tenant(), new_tenant()
    handler.failing.add(broken.id)
    when = T0
    expected_waits = [timedelta(minutes=m) for m in (1, 5, 25, 60)]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with app.app_context():
            result = tick(when, names=[handler.name])
        assert (broken.id, handler.name) in result.failed
        row = _wakeup(app, broken, handler.name)
        assert row.attempts == attempt and "boom" in row.last_error
        if attempt < MAX_ATTEMPTS:
            wait = expected_waits[attempt - 1]
            assert row.due_at == when + wait and row.failed_at is None
            with app.app_context():
                tick(when + wait - timedelta(seconds=1), names=[handler.name])  # not yet
            when += wait
        else:
            assert row.failed_at == when
    assert len(handler.runs_of(broken)) == MAX_ATTEMPTS
    # Marked failed: no more tries, however late it gets.
    with app.app_context():
        tick(when + timedelta(days=3), names=[handler.name])
    assert len(handler.runs_of(broken)) == MAX_ATTEMPTS
    runs = _runs(app, broken, handler.name)
    assert [run.status for run in runs] == ["failed"] * MAX_ATTEMPTS
    assert [run.attempts for run in runs] == list(range(1, MAX_ATTEMPTS + 1))
    assert runs[0].error == f"RuntimeError: boom for tenant {broken.id}"
    # The healthy tenant ran at T0 and again each hour it was due.
    assert handler.runs_of(fine)[0] == T0 and len(handler.runs_of(fine)) >= 3
    assert all(run.status == "done" for run in _runs(app, fine, handler.name))


def test_a_success_after_failures_resets_the_count(app, tenant, handler):
    handler.failing.add(tenant.id)
    with app.app_context():
        tick(T0, names=[handler.name])
    handler.failing.clear()
    with app.app_context():
        tick(T0 + timedelta(minutes=1), names=[handler.name])
    row = _wakeup(app, tenant, handler.name)
    assert row.attempts == 0 and row.last_error is None
    assert row.due_at == T0 + timedelta(minutes=1, hours=1)


def test_suspended_and_canceled_tenants_are_skipped(app, new_tenant, handler):
    active, suspended, canceled = new_tenant(), new_tenant(), new_tenant()
    with app.app_context():
        tick(T0, names=[handler.name])  # all three have run once
        for one, status in ((suspended, "suspended"), (canceled, "canceled")):
            db.session.get(Tenant, one.id).status = status
        db.session.commit()
        tick(T0 + timedelta(hours=2), names=[handler.name])
    assert len(handler.runs_of(active)) == 2
    assert len(handler.runs_of(suspended)) == 1 and len(handler.runs_of(canceled)) == 1
    # Reactivated: its due work runs at the next tick.
    with app.app_context():
        db.session.get(Tenant, suspended.id).status = "active"
        db.session.commit()
        tick(T0 + timedelta(hours=2, minutes=1), names=[handler.name])
    assert len(handler.runs_of(suspended)) == 2


def test_a_new_active_tenant_is_due_at_once(app, handler):
    """A tenant that signs up after the handler's rows were made gets its first run right away."""
    from tests.conftest import make_tenant

    with app.app_context():
        tick(T0, names=[handler.name])
    late = make_tenant(app)
    with app.app_context():
        tick(T0 + timedelta(minutes=1), names=[handler.name])
    assert handler.runs_of(late) == [T0 + timedelta(minutes=1)]


def test_the_clock_of_the_tick_is_the_servers_when_not_given(app, tenant, handler):
    with time_machine.travel(T0, tick=False), app.app_context():
        tick(names=[handler.name])
    assert handler.runs_of(tenant) == [T0]


def test_a_handler_with_more_work_now_runs_again_at_the_next_tick(app, tenant, handler):
    handler.next = lambda now: now  # "more right now"
    with app.app_context():
        tick(T0, names=[handler.name])
    assert handler.runs_of(tenant) == [T0]
    assert _wakeup(app, tenant, handler.name).due_at == T0 + timedelta(seconds=1)
    with app.app_context():
        tick(T0 + timedelta(minutes=1), names=[handler.name])
    assert handler.runs_of(tenant) == [T0, T0 + timedelta(minutes=1)]


def test_a_stopped_tick_hands_back_what_it_has_not_run(app, new_tenant, handler):
    """SIGTERM during a tick: the handler under way ends, the other claims are due as before."""
    first, second = new_tenant(), new_tenant()
    stop = threading.Event()
    handler.during = stop.set  # the first handler run asks the tick to stop
    with app.app_context():
        result = tick(T0, names=[handler.name], stop=stop)
    assert len(handler.calls) == 1 and len(result.done) == 1
    ran = handler.calls[0][0]
    waiting = second if ran == first.id else first
    assert _wakeup(app, waiting, handler.name).due_at == T0
    handler.during = None
    with app.app_context():
        tick(T0 + timedelta(minutes=1), names=[handler.name])
    assert handler.runs_of(waiting) == [T0 + timedelta(minutes=1)]
