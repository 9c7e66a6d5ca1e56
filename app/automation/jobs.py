"""The background work of automation: rules woken by a commit, and webhook calls."""
from app.automation import engine
from app.automation.models import AutomationRule, RuleRun
from app.extensions import db
from app.job_scope import job_scope


def run_events(tenant_id: int, runs: list) -> None:
    """Queued after the commit that created or changed the records (capture.py)."""
    with job_scope(tenant_id, name="automation"):
        run_pairs(runs)


def match_events(tenant_id: int, events: list) -> None:
    """Events committed outside their tenant's scope: matched with its rules in its scope."""
    from app.automation.capture import matching_runs

    with job_scope(tenant_id, name="automation"):
        run_pairs(matching_runs(events, db.session()))


def run_pairs(runs: list) -> None:
    for rule_id, record_id, key in runs:
        rule = db.session.get(AutomationRule, rule_id)
        if rule is not None:
            engine.run_rule(rule, record_id, key)


def call_webhook(tenant_id: int, rule_id: int, run_id: int, url: str, payload: dict) -> None:
    """POST after the run committed; a failure is logged on the run and turns the rule off."""
    from app.automation.webhooks import post_json

    with job_scope(tenant_id, name="automation webhook"):
        try:
            post_json(url, payload)
        except Exception as error:  # refused, unreachable, timed out, HTTP error: all stop it
            rule, run = db.session.get(AutomationRule, rule_id), db.session.get(RuleRun, run_id)
            if rule is not None and run is not None:
                engine.fail(rule, run, f"{url}: {error or type(error).__name__}")
