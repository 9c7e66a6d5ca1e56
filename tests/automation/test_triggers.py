"""Each trigger wakes its rules, and only its rules: created, changed, a date arriving,
no activity; and the conditions, read like the list filters, decide."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine

from app.automation.models import RuleRun
from app.automation.schedule import run_date_rules
from app.extensions import db
from app.tasks.models import Task
from app.timeline.models import TimelineEntry
from tests.automation.conftest import customer, deal, rule, run_committed_events, runs_of
from tests.conftest import owner_id


def _tasks():
    return db.session.scalars(sa.select(Task).order_by(Task.id)).all()


def test_a_new_customer_gets_a_task_when_the_conditions_hold(scope):
    made = rule(conditions=[{"field": "type", "op": "=", "value": "prospect"}])
    lead = customer("新线索", type="prospect")
    customer("老客户", type="customer")
    run_committed_events()
    [task] = _tasks()
    assert (task.title, task.owner_id) == ("Call 新线索", owner_id())
    assert (task.related_type, task.related_id, task.customer_id) == ("customer", lead.id, lead.id)
    [run] = runs_of(made)
    assert (run.record_id, run.status) == (lead.id, "done")
    assert "Task created: Call 新线索" in run.detail
    entry = db.session.scalars(sa.select(TimelineEntry).where(
        TimelineEntry.kind == "automation")).one()
    assert (entry.customer_id, entry.ref_type, entry.ref_id) == (lead.id, "customer", lead.id)
    assert "Rule" in entry.title


def test_a_field_becoming_a_value_wakes_the_rule_and_other_changes_do_not(scope):
    made = rule(trigger="changed", trigger_field="tier", trigger_value="A")
    target = customer("升级客户")
    run_committed_events()
    target.region = "华东"
    run_committed_events()
    target.tier = "B"
    run_committed_events()
    assert runs_of(made) == []
    target.tier = "A"
    run_committed_events()
    assert len(runs_of(made)) == 1 and len(_tasks()) == 1


def test_any_change_of_a_field_wakes_a_rule_without_a_value(scope):
    made = rule(trigger="changed", trigger_field="region")
    target = customer("搬家客户")
    run_committed_events()
    target.region = "华南"
    run_committed_events()
    target.region = "华北"
    run_committed_events()
    assert len(runs_of(made)) == 2  # two changes, two events


def test_conditions_on_numbers_and_empty_fields(scope):
    made = rule(conditions=[{"field": "credit_limit", "op": ">=", "value": "10000"},
                            {"field": "region", "op": "empty", "value": ""}])
    customer("大客户", credit_limit="20000")
    customer("小客户", credit_limit="500")
    customer("有地区的大客户", credit_limit="20000", region="华东")
    run_committed_events()
    assert [t.title for t in _tasks()] == ["Call 大客户"]
    assert len(runs_of(made)) == 1


def test_a_close_date_arriving_runs_once_per_date(scope):
    now = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai, 3 December
    made = rule("opportunity", "date", trigger_field="expected_close", days=7,
                actions=[{"type": "task", "title": "Close {{ record.name }}", "assignee": "owner",
                          "due_days": 0}])
    soon = deal("下周成交", close=date(2026, 12, 10))
    deal("下月成交", close=date(2027, 1, 10))
    with time_machine.travel(now, tick=False):
        run_date_rules(now)
        run_date_rules(now + timedelta(hours=1))  # a second tick the same day
    [task] = _tasks()
    assert (task.related_id, task.title) == (soon.id, "Close 下周成交")
    assert [r.run_key for r in runs_of(made)] == ["date:expected_close:2026-12-10"]
    soon.expected_close = date(2026, 12, 11)  # moved: fires again on its new day
    run_date_rules(now + timedelta(days=1))
    assert len(runs_of(made)) == 2


def test_date_rules_follow_the_tenants_day_across_a_daylight_saving_change(app, new_tenant):
    from tenants.context import tenant_scope

    tenant = new_tenant(time_zone="America/New_York")
    with app.test_request_context(), tenant_scope(tenant):
        made = rule("opportunity", "date", trigger_field="expected_close", days=7)
        deal("DST", close=date(2026, 11, 8))
        # 23:30 on 31 October in New York (EDT): the day is still the 31st, target 7 November.
        assert run_date_rules(datetime(2026, 11, 1, 3, 30, tzinfo=timezone.utc)) == datetime(
            2026, 11, 1, 0, 5, tzinfo=timezone(timedelta(hours=-4)))
        assert runs_of(made) == []
        # 00:30 on 1 November (EDT), the day clocks fall back: target 8 November.
        next_run = run_date_rules(datetime(2026, 11, 1, 4, 30, tzinfo=timezone.utc))
        assert len(runs_of(made)) == 1
        # The next pass is at 00:05 on the 2nd in New York, now EST (UTC-5).
        assert next_run.astimezone(timezone.utc) == datetime(2026, 11, 2, 5, 5, tzinfo=timezone.utc)
        db.session.rollback()


def test_a_stale_deal_reminds_its_owner_once_per_quiet_stretch(scope, notified):
    made = rule("opportunity", "inactive", days=14,
                conditions=[{"field": "closed_on", "op": "empty", "value": ""}],
                actions=[{"type": "task", "title": "Follow up {{ record.name }}", "assignee": "owner",
                          "due_days": 1},
                         {"type": "notify", "to": "owner", "message": "quiet for 14 days"}])
    stale, fresh = deal("沉睡的单"), deal("活跃的单")
    closed = deal("已成交", closed_on=date(2026, 11, 1))
    now = datetime.now(timezone.utc)
    db.session.execute(sa.text("UPDATE opportunities SET updated_at = now() - interval '20 days' "
                               "WHERE id IN (:a, :b)"), {"a": stale.id, "b": closed.id})
    run_date_rules(now)
    run_date_rules(now + timedelta(minutes=5))
    [task] = _tasks()
    assert (task.related_id, task.owner_id) == (stale.id, owner_id())
    assert len(notified) == 1 and notified[0][0] == [owner_id()]
    assert notified[0][3]["message"] == "quiet for 14 days"
    assert fresh.id not in [r.record_id for r in runs_of(made)]
    # Another quiet stretch would remind again, but a note on the deal is activity.
    from app.timeline.services import add_entry

    db.session.execute(sa.text("UPDATE opportunities SET updated_at = now() - interval '30 days' "
                               "WHERE id = :id"), {"id": stale.id})
    add_entry(customer_id=stale.customer_id, kind="note", title="打过电话", ref_type="opportunity",
              ref_id=stale.id)
    run_date_rules(now + timedelta(days=1))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RuleRun)) == 1


def test_a_date_rule_on_a_time_field_counts_days_in_the_tenants_calendar(scope):
    made = rule("customer", "date", trigger_field="created_at", days=-3)
    old = customer("三天前的客户")
    customer("今天的客户")
    # 02:00 on 28 November in Shanghai is 18:00 on the 27th in UTC: a Shanghai day ago.
    db.session.execute(sa.text("UPDATE customers SET created_at = '2026-11-27 18:00+00' WHERE id = :id"),
                       {"id": old.id})
    run_date_rules(datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc))  # 1 December in Shanghai
    assert [(r.record_id, r.run_key) for r in runs_of(made)] == [(old.id, "date:created_at:2026-11-28")]


def test_a_rule_whose_condition_names_a_vanished_field_is_turned_off(scope, notified):
    made = rule(conditions=[{"field": "colour", "op": "=", "value": "red"}])
    customer("x")
    run_committed_events()
    assert not made.active and "colour" in made.disabled_reason
    assert notified and notified[0][1] == "automation"
