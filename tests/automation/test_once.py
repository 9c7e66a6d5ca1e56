"""Exactly once, never in loops, and failures seen: rules on committed data, as the
after-commit job and the scheduler run them (two threads where it matters)."""
import re
import threading

import sqlalchemy as sa

from app.automation import engine
from app.automation.jobs import call_webhook
from app.automation.models import AutomationRule, RuleRun
from app.customers.models import Customer
from app.extensions import db
from app.job_scope import job_scope
from app.tasks.models import Task
from tenants.context import tenant_scope
from tests.automation.conftest import customer, rule


def _committed(app, tenant, build):
    with app.app_context(), tenant_scope(tenant):
        result = build()
        db.session.commit()
        return result


def _read(app, tenant, read):
    with app.app_context(), tenant_scope(tenant):
        return read()


def _in_two_threads(app, tenant, work_a, work_b):
    barrier, errors = threading.Barrier(2), []

    def run(work):
        try:
            with app.app_context(), job_scope(tenant.id, name="test"):
                barrier.wait()
                work()
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in (work_a, work_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_one_event_delivered_twice_at_once_runs_once(app, tenant):
    lead_id = _committed(app, tenant, lambda: customer("同时到达").id)
    rule_id = _committed(app, tenant, lambda: rule().id)

    def deliver():
        engine.run_rule(db.session.get(AutomationRule, rule_id), lead_id, "created")

    _in_two_threads(app, tenant, deliver, deliver)
    assert _read(app, tenant, lambda: db.session.scalar(
        sa.select(sa.func.count()).select_from(Task))) == 1
    assert _read(app, tenant, lambda: db.session.scalar(
        sa.select(sa.func.count()).select_from(RuleRun))) == 1


def test_round_robin_is_fair_when_two_leads_arrive_at_once(app, tenant):
    from app.access.models import Role
    from app.auth.models import User
    from app.org.models import Unit

    def world():
        unit = Unit(name="门店", kind="store")
        db.session.add(unit)
        db.session.flush()
        role = db.session.scalars(sa.select(Role).where(Role.key == "sales_rep")).one()
        for n in range(2):
            db.session.add(User(email=f"rr{n}@example.com", name=f"rr{n}", role_id=role.id,
                                unit_id=unit.id))
        return unit.id, customer("一").id, customer("二").id

    unit_id, first, second = _committed(app, tenant, world)
    rule_id = _committed(app, tenant, lambda: rule(actions=[{"type": "assign", "unit_id": unit_id}]).id)

    def assign(record_id):
        return lambda: engine.run_rule(db.session.get(AutomationRule, rule_id), record_id, "created")

    _in_two_threads(app, tenant, assign(first), assign(second))
    owners = _read(app, tenant, lambda: {db.session.get(Customer, i).owner_id for i in (first, second)})
    assert len(owners) == 2


def test_a_rule_setting_the_field_it_watches_runs_once(app, tenant):
    lead_id = _committed(app, tenant, lambda: customer("循环").id)
    rule_id = _committed(app, tenant, lambda: rule(
        trigger="changed", trigger_field="tier",
        actions=[{"type": "set", "field": "tier", "value": "A"}]).id)

    def change():
        db.session.get(Customer, lead_id).tier = "B"

    _committed(app, tenant, change)  # the commit queues the rule; it runs after the commit
    assert _read(app, tenant, lambda: db.session.get(Customer, lead_id).tier) == "A"
    assert _read(app, tenant, lambda: [r.status for r in db.session.scalars(
        sa.select(RuleRun).where(RuleRun.rule_id == rule_id))]) == ["done"]


def test_a_customer_created_on_the_page_is_assigned_after_the_commit(app, tenant, owner_client):
    from tests.conftest import add_user

    rep_id = add_user(app, tenant, "sales_rep", name="接手的人")
    _committed(app, tenant, lambda: rule(actions=[{"type": "assign", "user_id": rep_id}]))
    response = owner_client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": "网页新客户", "kind": "company", "type": "prospect", "currency": "CNY", "tier": ""})
    lead_id = int(re.search(r"/customers/(\d+)", response.location).group(1))
    assert _read(app, tenant, lambda: db.session.get(Customer, lead_id).owner_id) == rep_id
    page = owner_client.get(f"/t/{tenant.slug}/customers/{lead_id}").get_data(as_text=True)
    assert "Rule “Rule” ran" in page


class _FailingConnection:
    def __init__(self, host, port, timeout):
        assert timeout == 5

    def request(self, *args, **kwargs):
        pass

    def getresponse(self):
        return type("Response", (), {"status": 500})()

    def close(self):
        pass


def test_a_failing_webhook_turns_the_rule_off_and_tells_the_admins(app, tenant, monkeypatch,
                                                                  notified):
    from app.automation import webhooks

    monkeypatch.setattr(webhooks, "resolve", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(webhooks.http.client, "HTTPSConnection", _FailingConnection)
    lead_id = _committed(app, tenant, lambda: customer("推送失败").id)
    rule_id = _committed(app, tenant, lambda: rule(
        actions=[{"type": "webhook", "url": "https://hooks.example.com/x"}]).id)
    with app.app_context(), job_scope(tenant.id):  # the webhook job runs after this commits
        engine.run_rule(db.session.get(AutomationRule, rule_id), lead_id, "created")

    def state():
        made = db.session.get(AutomationRule, rule_id)
        run = db.session.scalars(sa.select(RuleRun)).one()
        return made.active, made.disabled_reason, run.status, run.detail

    active, reason, status, detail = _read(app, tenant, state)
    assert (active, status) == (False, "failed")
    assert "HTTP 500" in reason and "HTTP 500" in detail
    assert any(event == "automation" and "HTTP 500" in params["error"]
               for _users, event, _m, params in notified)


def test_a_webhook_whose_host_now_resolves_inside_is_refused_at_call_time(app, tenant, monkeypatch,
                                                                          notified):
    from app.automation import webhooks

    monkeypatch.setattr(webhooks, "resolve", lambda host, port: ["127.0.0.1"])
    lead_id = _committed(app, tenant, lambda: customer("重新解析").id)
    made = _committed(app, tenant, lambda: (rule(), db.session.flush())[0].id)

    def log():
        return db.session.scalar(sa.insert(RuleRun).values(
            rule_id=made, record_type="customer", record_id=lead_id, run_key="created")
            .returning(RuleRun.id))

    run_id = _committed(app, tenant, log)
    with app.app_context():
        call_webhook(tenant.id, made, run_id, "https://rebound.example.com/", {})
    assert _read(app, tenant, lambda: db.session.get(AutomationRule, made).active) is False
