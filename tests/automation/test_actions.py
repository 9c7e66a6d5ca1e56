"""Each action does its work, in order; a failing one turns the rule off with a notice."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.automation.models import AutomationRule
from app.automation.templates import TemplateProblem, render
from app.customers.models import Customer
from app.extensions import db
from app.i18n import workspace_today
from app.org.models import Unit
from app.tasks.models import Task
from tests.automation.conftest import customer, rule, run_committed_events, runs_of
from tests.conftest import owner_id


def _user(app, tenant, name, **fields):
    """A user in the test's own transaction (so it may belong to a unit made in it)."""
    import secrets

    from app.access.models import Role

    role = db.session.scalars(sa.select(Role).where(Role.key == "sales_rep")).one()
    user = User(email=f"{secrets.token_hex(4)}@example.com", name=name, role_id=role.id, **fields)
    db.session.add(user)
    db.session.flush()
    return user


def test_a_task_for_a_chosen_user_due_in_n_days(app, tenant, scope):
    rep = _user(app, tenant, "陈伟")
    rule(actions=[{"type": "task", "title": "回访 {{ record.name }}", "assignee": str(rep.id),
                   "due_days": 3}])
    customer("联系我们")
    run_committed_events()
    task = db.session.scalars(sa.select(Task)).one()
    assert (task.owner_id, task.title) == (rep.id, "回访 联系我们")
    assert task.due_date == workspace_today() + timedelta(days=3)


def test_notify_the_owner_with_the_rendered_message(scope, notified):
    made = rule(actions=[{"type": "notify", "to": "owner", "message": "{{ record.name }} 来了"}])
    lead = customer("新客户")
    run_committed_events()
    [(users, event, message, params)] = notified
    assert (users, event, params["message"], params["rule"]) == ([owner_id()], "automation",
                                                                "新客户 来了", made.name)
    assert "%(rule)s" in message  # an English msgid, translated when read
    assert runs_of(made)[0].record_id == lead.id


def test_assign_a_user_moves_the_owner_and_the_unit(app, tenant, scope, notified):
    unit = Unit(name="华东区", kind="region")
    db.session.add(unit)
    db.session.flush()
    rep = _user(app, tenant, "李娜", unit_id=unit.id)
    rule(actions=[{"type": "assign", "user_id": rep.id}])
    lead = customer("分给李娜")
    run_committed_events()
    assert (lead.owner_id, lead.unit_id) == (rep.id, unit.id)
    assert notified[0][:2] == ([rep.id], "assigned")


def test_round_robin_takes_turns_among_the_active_users_of_the_unit(app, tenant, scope):
    unit = Unit(name="门店", kind="store")
    db.session.add(unit)
    db.session.flush()
    first, second = _user(app, tenant, "甲", unit_id=unit.id), _user(app, tenant, "乙", unit_id=unit.id)
    _user(app, tenant, "丙", unit_id=unit.id, active=False)
    _user(app, tenant, "别的门店")
    rule(actions=[{"type": "assign", "unit_id": unit.id}])
    leads = [customer(f"线索 {n}") for n in range(5)]
    run_committed_events()
    assert [c.owner_id for c in leads] == [first.id, second.id, first.id, second.id, first.id]


def test_set_a_safe_field(scope):
    rule(actions=[{"type": "set", "field": "tier", "value": "A"}])
    lead = customer("VIP")
    run_committed_events()
    assert lead.tier == "A"


def test_an_unsafe_field_is_refused_and_the_rule_turned_off(scope, notified):
    made = rule(actions=[{"type": "set", "field": "credit_limit", "value": "99999999"}])
    lead = customer("想改信用额度")
    run_committed_events()
    assert lead.credit_limit is None
    assert not made.active and "may not be set" in made.disabled_reason
    assert runs_of(made)[0].status == "failed"
    assert notified and notified[0][1] == "automation" and owner_id() in notified[0][0]


def test_send_a_templated_email_to_the_records_address(scope, mailed):
    rule(actions=[{"type": "email", "to": "contact", "subject": "欢迎 {{ record.name }}",
                   "body": "您好 {{ record.name }}，来自 {{ rule.name }}"}])
    customer("有邮箱的客户", email="buyer@example.com")
    run_committed_events()
    assert mailed == [("buyer@example.com", "欢迎 有邮箱的客户", "您好 有邮箱的客户，来自 Rule")]


@pytest.mark.parametrize("source", [
    "{{ record.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ rule.name.__class__.__init__.__globals__ }}",
])
def test_the_sandbox_refuses_underscore_attributes(source):
    with pytest.raises(TemplateProblem):
        render(source, {"record": {"name": "x"}, "rule": {"name": "r"}})


def test_a_template_reaching_for_internals_turns_the_rule_off(scope, mailed, notified):
    made = rule(actions=[{"type": "email", "to": "contact", "subject": "{{ record.__class__ }}",
                          "body": "x"}])
    customer("客户", email="buyer@example.com")
    run_committed_events()
    assert mailed == [] and not made.active
    assert runs_of(made)[0].status == "failed"


def test_actions_run_in_order_and_a_failure_undoes_the_earlier_ones(app, tenant, scope, notified):
    gone = _user(app, tenant, "离职的人", active=False)
    made = rule(actions=[{"type": "set", "field": "tier", "value": "A"},
                         {"type": "email", "to": "contact", "subject": "s", "body": "b"},
                         {"type": "assign", "user_id": gone.id}])
    lead = customer("客户", email="buyer@example.com")
    run_committed_events()
    db.session.refresh(lead)
    assert lead.tier is None and lead.owner_id == owner_id()
    assert db.session().info.get("kehu_jobs_after_commit") == []  # the e-mail is not sent
    assert not made.active and "deactivated" in runs_of(made)[0].detail


def test_a_webhook_is_queued_for_after_the_commit(scope, monkeypatch):
    import app.jobs

    queued = []
    monkeypatch.setattr(app.jobs, "enqueue_after_commit", lambda path, *args: queued.append((path, args)))
    made = rule(actions=[{"type": "webhook", "url": "https://hooks.example.com/crm"}])
    lead = customer("推送")
    run_committed_events()
    [(path, (tenant_id, rule_id, run_id, url, payload))] = queued
    assert path == "app.automation.jobs.call_webhook" and rule_id == made.id
    assert payload["record_id"] == lead.id and payload["record"]["name"] == "推送"
    assert url == "https://hooks.example.com/crm" and made.active


def test_an_inactive_rule_does_nothing(scope):
    made = rule()
    made.active = False
    customer("x")
    run_committed_events()
    assert db.session.scalars(sa.select(Task)).all() == [] and runs_of(made) == []
    assert db.session.scalars(sa.select(Customer)).all()
    assert db.session.get(AutomationRule, made.id).active is False
