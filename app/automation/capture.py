"""Which records were created or changed in a transaction, and which rules that wakes.

After each flush the changes to records of an app.records type are noted in the
session (which fields changed, from what to what); just before the commit they
are matched against the tenant's active created/changed rules, and one job is
queued for after the commit with every (rule, record, event) to evaluate. A
rollback drops both. Nothing is noted while a rule's own actions run (no_events()),
so a rule never retriggers itself or another rule.
"""
import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.automation.fields import as_text, fields_of
from app.records import record_types

_EVENTS = "kehu_automation_events"
_ACTING = "kehu_automation_acting"


@contextmanager
def no_events():
    """Changes made inside raise no events: a rule's own actions (no loops), or seeded history
    such as the demo workspace's records."""
    from app.extensions import db

    info = db.session().info
    info[_ACTING] = info.get(_ACTING, 0) + 1
    try:
        yield
    finally:
        info[_ACTING] -= 1


def _type_keys() -> dict:
    return {kind.model: kind.key for kind in record_types()}


def _changes(obj, type_key: str) -> dict:
    state, found = inspect(obj), {}
    for key in fields_of(type_key):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = as_text(history.deleted[0]) if history.deleted else None
        new = as_text(history.added[0]) if history.added else None
        if old != new:
            found[key] = [old, new]
    return found


@event.listens_for(Session, "after_flush")
def _note_changes(session, flush_context):
    from tenants.context import current_tenant

    tenant = current_tenant()
    if session.info.get(_ACTING) or tenant is None:
        return
    keys = _type_keys()
    noted = session.info.setdefault(_EVENTS, [])
    for obj in session.new:
        if type(obj) in keys:
            noted.append({"tenant": tenant.id, "type": keys[type(obj)], "id": obj.id,
                          "trigger": "created", "event": uuid.uuid4().hex, "changes": {}})
    for obj in session.dirty:
        if type(obj) in keys and (changes := _changes(obj, keys[type(obj)])):
            noted.append({"tenant": tenant.id, "type": keys[type(obj)], "id": obj.id,
                          "trigger": "changed", "event": uuid.uuid4().hex, "changes": changes})


def pending(session) -> list[dict]:
    return session.info.get(_EVENTS, [])


def matching_runs(events: list[dict], session) -> list[tuple[int, int, str]]:
    """(rule id, record id, run key) for every active rule an event wakes."""
    from app.automation.models import AutomationRule

    if not events:
        return []
    rules = session.execute(sa.select(
        AutomationRule.id, AutomationRule.record_type, AutomationRule.trigger,
        AutomationRule.trigger_field, AutomationRule.trigger_value,
    ).where(AutomationRule.active, AutomationRule.trigger.in_(("created", "changed")),
            AutomationRule.record_type.in_({e["type"] for e in events}))).all()
    runs = []
    for noted in events:
        for rule in rules:
            if rule.record_type != noted["type"] or rule.trigger != noted["trigger"]:
                continue
            if noted["trigger"] == "created":
                runs.append((rule.id, noted["id"], "created"))
            elif _wakes(rule, noted["changes"]):
                runs.append((rule.id, noted["id"], f"changed:{noted['event']}"))
    return runs


def _wakes(rule, changes: dict) -> bool:
    if rule.trigger_field not in changes:
        return False
    return rule.trigger_value is None or changes[rule.trigger_field][1] == rule.trigger_value


@event.listens_for(Session, "before_commit")
def _queue_runs(session):
    from app.jobs import enqueue_after_commit
    from tenants.context import current_tenant

    if session.in_nested_transaction():
        return  # a savepoint released: the events wait for the real commit
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: note its changes now
    events = session.info.pop(_EVENTS, [])
    current = current_tenant()
    here = [e for e in events if current is not None and e["tenant"] == current.id]
    if runs := matching_runs(here, session):
        enqueue_after_commit("app.automation.jobs.run_events", current.id, runs)
    # Records of another tenant changed in this transaction (a command working through
    # several): that tenant's rules are matched in its own scope, after the commit.
    for tenant_id in {e["tenant"] for e in events} - {current.id if current else None}:
        enqueue_after_commit("app.automation.jobs.match_events", tenant_id,
                             [e for e in events if e["tenant"] == tenant_id])


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_EVENTS, None)
