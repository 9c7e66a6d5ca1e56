"""Running one rule on one record for one event: conditions, claim, actions, log.

Exactly once: the run's row (rule, record, run key) is inserted with ON CONFLICT
DO NOTHING before any action; a second delivery of the same event (a retried
job, two overlapping ticks) finds it and stops. No loops: while the actions run,
the session is marked (capture.no_events), so their own changes raise no events.
A failing action rolls its actions back, leaves the error in the log and
disables the rule with a notice to the tenant's admins.
"""
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert

from app.automation import actions, capture, templates
from app.automation.conditions import ConditionError, where_clauses
from app.automation.fields import live_condition
from app.automation.models import AutomationRule, RuleRun
from app.extensions import db
from app.i18n import N_
from app.jobs import drop_queued_since, queued_mark
from app.records import is_record_type, record_title, record_type

log = logging.getLogger(__name__)


@dataclass
class Run:
    rule: AutomationRule
    type_key: str
    record: object
    key: str
    log: RuleRun
    title: str
    context: dict


def conditions_hold(rule: AutomationRule, record_id: int) -> bool:
    model = record_type(rule.record_type).model
    found = db.session.scalar(sa.select(model.id).where(
        model.id == record_id, live_condition(rule.record_type),
        *where_clauses(rule.record_type, rule.conditions or [])))
    return found is not None


def _claim(rule: AutomationRule, record_id: int, key: str) -> RuleRun | None:
    run_id = db.session.scalar(
        insert(RuleRun).values(rule_id=rule.id, record_type=rule.record_type, record_id=record_id,
                               run_key=key[:200], status="done")
        .on_conflict_do_nothing(constraint="uq_automation_runs_event").returning(RuleRun.id))
    return db.session.get(RuleRun, run_id) if run_id else None


def run_rule(rule: AutomationRule, record_id: int, key: str) -> RuleRun | None:
    """Run rule on the record for the event named by key; None when it did not run
    (inactive, conditions not met, record gone, or this event already ran)."""
    if not rule.active or not is_record_type(rule.record_type):
        return None
    try:
        if not conditions_hold(rule, record_id):
            return None
    except ConditionError as error:  # a field the conditions name is gone from the model
        turn_off(rule, str(error))
        return None
    run_log = _claim(rule, record_id, key)
    if run_log is None:
        return None
    record = db.session.get(record_type(rule.record_type).model, record_id)
    title = record_title(rule.record_type, record)
    run = Run(rule, rule.record_type, record, key, run_log, title,
              templates.context_for(rule, rule.record_type, record, title))
    queued = queued_mark()
    try:
        with db.session.begin_nested(), capture.no_events():
            lines = [actions.PERFORM[a["type"]](run, a) for a in rule.actions or []]
            db.session.flush()  # inside the mark: the actions' own changes trigger nothing
    except Exception as error:  # any action failing stops the rule: the admins must look
        log.info("automation rule %s failed on %s %s: %s", rule.id, rule.record_type, record_id,
                 error)
        drop_queued_since(queued)  # no mail or webhook from actions that were undone
        fail(rule, run_log, str(error) or type(error).__name__)
        return run_log
    run_log.detail = "\n".join(lines)
    _timeline(run, lines)
    return run_log


def _timeline(run: Run, lines: list[str]) -> None:
    from app.timeline.services import add_entry

    add_entry(customer_id=record_type(run.type_key).customer_id(run.record), kind="automation",
              title=_("Rule “%(rule)s” ran", rule=run.rule.name), body="\n".join(lines),
              contact_id=run.record.id if run.type_key == "contact" else None,
              ref_type=run.type_key, ref_id=run.record.id)


def fail(rule: AutomationRule, run_log: RuleRun, error: str) -> None:
    """Log the error, disable the rule, tell the admins (in the caller's transaction)."""
    run_log.status, run_log.detail = "failed", error[:4000]
    turn_off(rule, error)


def turn_off(rule: AutomationRule, error: str) -> None:
    """Turn the rule off with the reason the rules page shows, and tell every admin."""
    from app.notifications import notify

    rule.active = False
    rule.disabled_reason = error[:4000]
    notify(admin_ids(), "automation",
           N_("The automation rule “%(rule)s” failed and was turned off: %(error)s"),
           {"rule": rule.name, "error": error[:300]})
    db.session.flush()


def admin_ids() -> list[int]:
    from app.access.permissions import can
    from app.auth.models import User

    users = db.session.scalars(sa.select(User).where(User.active)).all()
    return [u.id for u in users if can(u, "admin", "admin")]
