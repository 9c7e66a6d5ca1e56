"""Done and not done: the timeline entry, and a repeating task's next occurrence (once)."""
import threading
from datetime import date, datetime, time, timezone

import sqlalchemy as sa
import time_machine

from app.customers.services import create_customer
from app.extensions import db
from app.tasks import completion, recurrence
from app.tasks.models import Task
from app.timeline.models import TimelineEntry
from tenants.context import tenant_scope
from tests.conftest import owner_id
from tests.tasks.helpers import make_task

WEEKLY = recurrence.Rule("weekly")


def _live(**where):
    return db.session.scalars(sa.select(Task).where(Task.deleted_at.is_(None), *[
        getattr(Task, k) == v for k, v in where.items()]).order_by(Task.id)).all()


def test_done_writes_on_the_customers_timeline_and_undone_takes_it_back(scope):
    me = owner_id()
    customer = create_customer({"name": "Lin Trading"}, me)
    task = make_task(me, "Send samples", related=("customer", customer))
    completion.complete(task, me, "UTC")
    [entry] = db.session.scalars(sa.select(TimelineEntry).where(
        TimelineEntry.customer_id == customer.id, TimelineEntry.kind == "task")).all()
    assert entry.title == "Task done: Send samples" and entry.ref_id == task.id
    assert completion.complete(task, me, "UTC") is None  # already done: nothing more
    assert completion.reopen(task) is True
    assert task.done_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry).where(
        TimelineEntry.kind == "task")) == 0


def test_a_weekly_task_makes_its_next_occurrence_and_undone_removes_it(scope):
    me = owner_id()
    task = make_task(me, "Weekly report", due_date=date(2027, 1, 4), rule=WEEKLY)
    following = completion.complete(task, me, "UTC")
    assert (following.due_date, following.recurrence, following.follows_id) == (
        date(2027, 1, 11), "FREQ=WEEKLY", task.id)
    assert following.series_id == task.series_id == task.id
    completion.reopen(task)
    assert [t.id for t in _live(series_id=task.id)] == [task.id]
    again = completion.complete(task, me, "UTC")
    assert [t.id for t in _live(series_id=task.id)] == [task.id, again.id]


def test_a_counted_series_ends_and_until_is_kept(scope):
    me = owner_id()
    task = make_task(me, "Three times", due_date=date(2027, 1, 1),
                     rule=recurrence.Rule("daily", count=2))
    second = completion.complete(task, me, "UTC")
    assert second.recurrence == "FREQ=DAILY;COUNT=1"
    assert completion.complete(second, me, "UTC") is None
    until = make_task(me, "Until", due_date=date(2027, 1, 30),
                      rule=recurrence.Rule("weekly", 1, until=date(2027, 2, 5)))
    assert completion.complete(until, me, "UTC") is None  # 6 February is past the last date


def test_a_repeating_due_time_keeps_its_hour_across_daylight_saving(scope):
    me = owner_id()
    zone = "America/New_York"
    # Sat 7 March 2026, 09:00 in New York (EST, UTC-5); DST starts on Sunday 8 March.
    task = make_task(me, "Open the store", zone=zone, due_date=date(2026, 3, 7),
                     due_time=time(9, 0), remind_at=datetime(2026, 3, 7, 8, 45),
                     rule=recurrence.Rule("daily"), now=datetime(2026, 3, 1, tzinfo=timezone.utc))
    assert task.due_at == datetime(2026, 3, 7, 14, 0, tzinfo=timezone.utc)
    with time_machine.travel(datetime(2026, 3, 7, 12, tzinfo=timezone.utc), tick=False):
        sunday = completion.complete(task, me, zone)
    assert sunday.due_date == date(2026, 3, 8)
    assert sunday.due_at == datetime(2026, 3, 8, 13, 0, tzinfo=timezone.utc)  # 09:00 EDT
    assert sunday.remind_at == datetime(2026, 3, 8, 12, 45, tzinfo=timezone.utc)
    assert sunday.reminded_at is None


def test_two_clicks_on_done_at_once_make_one_next_occurrence(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        me = owner_id()
        task_id = make_task(me, "Daily call", due_date=date(2027, 1, 1),
                            rule=recurrence.Rule("daily")).id
        db.session.commit()
    start, results = threading.Barrier(2), []

    def click():
        with app.test_request_context(), tenant_scope(tenant):
            task = db.session.get(Task, task_id)
            start.wait()
            following = completion.complete(task, me, "UTC")
            db.session.commit()
            results.append(following is not None)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.execute(sa.select(Task.due_date, Task.done_at.is_not(None)).where(
            Task.series_id == task_id).order_by(Task.id)).all()
    assert rows == [(date(2027, 1, 1), True), (date(2027, 1, 2), False)]
