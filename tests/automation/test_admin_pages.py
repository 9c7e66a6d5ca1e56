"""The rules pages: admins list, create, edit, switch, delete rules and read their log;
bad input comes back on the form; reps and other tenants get nothing."""
import pytest
import sqlalchemy as sa

from app.automation.models import AutomationRule, RuleRun
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import client_as

VALID = {"name": "新线索提醒", "active": "y", "record_type": "customer", "trigger": "created",
         "conditions": "type = prospect\ncredit_limit >= 1000", "task_on": "y",
         "task_title": "联系 {{ record.name }}", "task_assignee": "owner", "task_due_days": "2",
         "notify_to": "owner", "email_to": "contact"}


def _rules(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return [(r.id, r.name, r.active, r.conditions, r.actions, r.disabled_reason)
                for r in db.session.scalars(sa.select(AutomationRule).order_by(AutomationRule.id))]


@pytest.fixture
def webhook_dns(monkeypatch):
    from app.automation import webhooks

    table = {"inside.example.com": ["127.0.0.1"], "hooks.example.com": ["93.184.216.34"]}
    monkeypatch.setattr(webhooks, "resolve", lambda host, port: table.get(host, [host]))


def test_an_admin_creates_a_rule_and_sees_it_listed(app, tenant, owner_client):
    base = f"/t/{tenant.slug}/admin/automation"
    response = owner_client.post(f"{base}/new", data=VALID)
    assert response.status_code == 302, response.get_data(as_text=True)
    [(rule_id, name, active, conditions, actions, _reason)] = _rules(app, tenant)
    assert (name, active) == ("新线索提醒", True)
    assert conditions == [{"field": "type", "op": "=", "value": "prospect"},
                          {"field": "credit_limit", "op": ">=", "value": "1000"}]
    assert actions == [{"type": "task", "title": "联系 {{ record.name }}", "assignee": "owner",
                        "due_days": 2}]
    page = owner_client.get(f"{base}/").get_data(as_text=True)
    assert "新线索提醒" in page and f"{base}/{rule_id}/log" in page


def test_an_admin_edits_switches_and_deletes_a_rule(app, tenant, owner_client, webhook_dns):
    base = f"/t/{tenant.slug}/admin/automation"
    owner_client.post(f"{base}/new", data=VALID)
    [(rule_id, *_)] = _rules(app, tenant)
    form = owner_client.get(f"{base}/{rule_id}").get_data(as_text=True)
    assert "type = prospect" in form and "联系 {{ record.name }}" in form
    changed = {**VALID, "name": "改过的", "trigger": "changed", "trigger_field": "tier",
               "trigger_value": "A", "webhook_on": "y", "webhook_url": "https://hooks.example.com/x"}
    assert owner_client.post(f"{base}/{rule_id}", data=changed).status_code == 302
    [(_id, name, active, _c, actions, _r)] = _rules(app, tenant)
    assert name == "改过的" and [a["type"] for a in actions] == ["task", "webhook"]
    assert owner_client.post(f"{base}/{rule_id}/switch").status_code == 302
    assert _rules(app, tenant)[0][2] is False
    assert owner_client.post(f"{base}/{rule_id}/switch").status_code == 302
    assert _rules(app, tenant)[0][2] is True
    assert owner_client.post(f"{base}/{rule_id}/delete").status_code == 302
    assert _rules(app, tenant) == []


def test_the_log_shows_each_run_and_its_failure(app, tenant, owner_client):
    base = f"/t/{tenant.slug}/admin/automation"
    owner_client.post(f"{base}/new", data=VALID)
    [(rule_id, *_)] = _rules(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        db.session.add(RuleRun(rule_id=rule_id, record_type="customer", record_id=7,
                               run_key="created", status="failed", detail="Webhook: HTTP 500"))
        db.session.commit()
    page = owner_client.get(f"{base}/{rule_id}/log").get_data(as_text=True)
    assert "Failed" in page and "Webhook: HTTP 500" in page and "#7" in page
    assert owner_client.get(f"{base}/{rule_id}/log?before=99999999999999999999").status_code == 200


def test_ready_made_rules_fill_the_form(app, tenant, owner_client):
    base = f"/t/{tenant.slug}/admin/automation"
    page = owner_client.get(f"{base}/").get_data(as_text=True)
    assert f"{base}/new?ready=stale_deal" in page and f"{base}/new?ready=lead_round_robin" in page
    form = owner_client.get(f"{base}/new?ready=stale_deal").get_data(as_text=True)
    assert "closed_on empty" in form and "Follow up on {{ record.name }}" in form


@pytest.mark.parametrize("changes, field, message", [
    ({"conditions": "colour = red"}, "conditions", "There is no field “colour”."),
    ({"conditions": "tier ~ A"}, "conditions", "Write each condition as"),
    ({"conditions": "credit_limit contains 5"}, "conditions", "cannot be used with"),
    ({"conditions": "credit_limit >= lots"}, "conditions", "is not valid"),
    ({"conditions": "tier = Z"}, "conditions", "is not valid"),
    ({"conditions": "created_at >= yesterday"}, "conditions", "is not valid"),
    ({"trigger": "changed", "trigger_field": "colour"}, "trigger_field", "There is no field"),
    ({"trigger": "changed", "trigger_field": "credit_limit", "trigger_value": "many"},
     "trigger_value", "is not a value"),
    ({"trigger": "date", "trigger_field": "name"}, "trigger_field", "Name a date field"),
    ({"trigger": "inactive", "days": ""}, "days", "number of days"),
    ({"task_on": ""}, "task_on", "at least one action"),
    ({"set_on": "y", "set_field": "credit_limit", "set_value": "1"}, "set_field", "only these fields"),
    ({"set_on": "y", "set_field": "tier", "set_value": "Z"}, "set_value", "is not a value"),
    ({"webhook_on": "y", "webhook_url": "http://hooks.example.com/x"}, "webhook_url", "https://"),
    ({"webhook_on": "y", "webhook_url": "https://169.254.169.254/latest"}, "webhook_url", "private"),
    ({"webhook_on": "y", "webhook_url": "https://inside.example.com/"}, "webhook_url", "private"),
    ({"email_on": "y", "email_subject": "{{ record.name", "email_body": "x"}, "email_subject",
     "placeholders cannot be read"),
    ({"record_type": "spaceship"}, "record_type", "Not a valid choice"),
])
def test_bad_rules_come_back_with_the_error_on_the_field(app, tenant, owner_client, webhook_dns,
                                                        changes, field, message):
    response = owner_client.post(f"/t/{tenant.slug}/admin/automation/new", data={**VALID, **changes})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in page and message in page.replace("&#34;", '"')
    assert "新线索提醒" in page  # what was typed is kept
    assert _rules(app, tenant) == []


def test_a_rep_may_not_open_the_rules_pages(app, tenant):
    rep = client_as(app, tenant, "sales_rep")
    base = f"/t/{tenant.slug}/admin/automation"
    for path in (f"{base}/", f"{base}/new"):
        assert rep.get(path).status_code == 403
    assert rep.post(f"{base}/new", data=VALID).status_code == 403
    assert _rules(app, tenant) == []


def test_another_tenants_rule_is_not_found(app, tenant, owner_client, new_tenant):
    other = new_tenant()
    other_client = client_as(app, other, "owner")
    other_client.post(f"/t/{other.slug}/admin/automation/new", data=VALID)
    [(rule_id, *_)] = _rules(app, other)
    base = f"/t/{tenant.slug}/admin/automation/{rule_id}"
    assert owner_client.get(base).status_code == 404
    assert owner_client.get(f"{base}/log").status_code == 404
    assert owner_client.post(f"{base}/switch").status_code == 404
    assert owner_client.post(f"{base}/delete").status_code == 404
    assert _rules(app, other)[0][2] is True
