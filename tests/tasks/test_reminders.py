"""Task reminders: on time in the user's zone, exactly once, never for deleted or done tasks."""
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.scheduler import run_due_now
from app.tasks import completion, reminders, services
from app.tasks.models import Task
from tenants.context import tenant_scope
from tests.conftest import owner_id
from tests.tasks.helpers import make_task

UTC = timezone.utc
BEFORE = datetime(2026, 1, 1, tzinfo=UTC)  # "now" when the reminders are scheduled


@pytest.fixture
def sent(monkeypatch):
    """The notifications the handler sends: (user ids, event, params, subject)."""
    calls, lock = [], threading.Lock()

    def spy(user_ids, event, message, params=None, *, subject=None, actor_id=None):
        with lock:
            calls.append((list(user_ids), event, params, subject))
    monkeypatch.setattr(reminders, "notify", spy)
    return calls


def test_a_reminder_fires_once_at_nine_in_the_users_zone(scope, sent):
    me = owner_id()
    task = make_task(me, "Call Mr Chen", zone="Asia/Shanghai", now=BEFORE,
                     remind_at=datetime(2026, 3, 2, 9, 0))
    assert task.remind_at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert run_due_now(datetime(2026, 3, 2, 0, 59, tzinfo=UTC))["tasks.reminders"] == task.remind_at
    assert sent == []
    run_due_now(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert sent == [([me], "task_due", {"task": "Call Mr Chen"}, ("task", task.id))]
    run_due_now(datetime(2026, 3, 2, 1, 5, tzinfo=UTC))
    assert len(sent) == 1
    db.session.refresh(task)
    assert task.reminded_at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_a_zone_change_after_scheduling_keeps_the_chosen_instant(scope, sent):
    me = owner_id()
    task = make_task(me, "Board call", zone="Asia/Shanghai", now=BEFORE,
                     remind_at=datetime(2026, 3, 2, 9, 0))
    db.session.get(User, me).time_zone = "Europe/London"  # the rep flies to London
    run_due_now(datetime(2026, 3, 2, 0, 59, tzinfo=UTC))
    assert sent == []
    run_due_now(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert [s[3] for s in sent] == [("task", task.id)]


def test_a_reminder_just_after_the_spring_forward_rings_at_edt(scope, sent):
    me = owner_id()
    # Sunday 8 March 2026, DST starts at 02:00 in New York: 09:00 is EDT (UTC-4), not EST.
    task = make_task(me, "Open early", zone="America/New_York", now=BEFORE,
                     remind_at=datetime(2026, 3, 8, 9, 0))
    assert task.remind_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    run_due_now(datetime(2026, 3, 8, 12, 59, tzinfo=UTC))
    assert sent == []
    run_due_now(datetime(2026, 3, 8, 13, 0, tzinfo=UTC))
    assert len(sent) == 1


def test_deleted_and_done_tasks_never_remind(scope, sent):
    me = owner_id()
    gone = make_task(me, "Deleted", now=BEFORE, remind_at=datetime(2026, 3, 2, 9))
    done = make_task(me, "Done", now=BEFORE, remind_at=datetime(2026, 3, 2, 9))
    services.delete_task(gone)
    completion.complete(done, me, "UTC")
    assert run_due_now(datetime(2026, 3, 3, tzinfo=UTC))["tasks.reminders"] is None
    assert sent == []


def test_saving_a_reminder_wakes_the_scheduler_and_a_changed_one_rings_again(scope, monkeypatch):
    woken = []
    monkeypatch.setattr(services, "wake_at", lambda name, when: woken.append((name, when)))
    me = owner_id()
    task = make_task(me, "Follow up", now=BEFORE, remind_at=datetime(2026, 3, 2, 9))
    assert woken == [("tasks.reminders", datetime(2026, 3, 2, 9, tzinfo=UTC))]
    task.reminded_at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    services.update_task(task, services.TaskInput("Follow up", me, "UTC",
                                                  remind_at=datetime(2026, 3, 5, 9)), me, BEFORE)
    assert task.reminded_at is None
    assert woken[-1] == ("tasks.reminders", datetime(2026, 3, 5, 9, tzinfo=UTC))


def test_two_ticks_at_once_deliver_each_reminder_exactly_once(app, new_tenant, sent):
    tenant = new_tenant()
    with app.test_request_context(), tenant_scope(tenant):
        me = owner_id()
        db.session.execute(sa.insert(Task), [
            {"title": f"Reminder {n}", "owner_id": me, "priority": "normal", "custom": {},
             "remind_at": BEFORE + timedelta(seconds=n), "due_date": date(2026, 1, 2)}
            for n in range(2500)])
        db.session.commit()
    start = threading.Barrier(2)

    def tick():
        with app.test_request_context(), tenant_scope(tenant):
            start.wait()
            reminders.send_due_reminders(BEFORE + timedelta(days=1))
            db.session.commit()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [subject[1] for _users, _event, _params, subject in sent]
    assert len(ids) == len(set(ids)) == 2500
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task).where(
            Task.reminded_at.is_not(None))) == 2500
