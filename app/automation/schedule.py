"""Date and inactivity rules, run by the scheduler once the tenant's day begins.

"date": the record's date field is `days` days from today (negative: that many days
ago), in the tenant's calendar. A missed tick is caught up for CATCH_UP_DAYS; the run
key holds the date, so a record fires once per date value (a moved close date fires
again, on its new day). "inactive": nothing happened on the record for `days` days (its
last change, or its last timeline entry other than automation's own); the key holds
the day of that last activity, so a stale record reminds once per quiet stretch.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.automation import engine
from app.automation.conditions import ConditionError, where_clauses
from app.automation.fields import fields_of, live_condition
from app.automation.models import AutomationRule, RuleRun
from app.extensions import db
from app.records import is_record_type, record_type
from app.scheduler import due_work
from tenants.context import require_tenant

CATCH_UP_DAYS = 2
BATCH = 500  # records per rule per pass; more wait for the next pass, a minute later


@due_work("automation.dates")
def run_date_rules(now: datetime) -> datetime | None:
    zone = ZoneInfo(require_tenant().time_zone or "UTC")
    today = now.astimezone(zone).date()
    rules = db.session.scalars(sa.select(AutomationRule).where(
        AutomationRule.active, AutomationRule.trigger.in_(("date", "inactive")))
        .order_by(AutomationRule.id)).all()
    more = False
    for rule in rules:
        if not is_record_type(rule.record_type):
            continue
        try:
            found = _due_dates(rule, today, zone) if rule.trigger == "date" else _stale(rule, now)
        except ConditionError as error:  # a field the conditions name is gone from the model
            engine.turn_off(rule, str(error))
            continue
        more = more or len(found) >= BATCH
        for record_id, key in found:
            if rule.active:  # a failing run turns the rule off for the rest of the pass
                engine.run_rule(rule, record_id, key)
    if more:
        return now + timedelta(minutes=1)
    return datetime.combine(today + timedelta(days=1), time(0, 5), zone)


def _local_day(column, zone: ZoneInfo):
    if isinstance(column.type, sa.DateTime):
        return sa.cast(sa.func.timezone(zone.key, column), sa.Date)
    return column


def _due_dates(rule: AutomationRule, today, zone) -> list[tuple[int, str]]:
    field = fields_of(rule.record_type).get(rule.trigger_field)
    if field is None:
        return []
    model, day = record_type(rule.record_type).model, _local_day(field.column, zone)
    target = today + timedelta(days=rule.days or 0)
    key = sa.func.concat(f"date:{rule.trigger_field}:", sa.func.to_char(day, "YYYY-MM-DD"))
    return _unrun(rule, model, key, day.between(target - timedelta(days=CATCH_UP_DAYS), target))


def _unrun(rule: AutomationRule, model, key, due) -> list[tuple[int, str]]:
    """(record id, run key) of the due records this rule has not run on for that key yet."""
    already = sa.exists().where(RuleRun.rule_id == rule.id, RuleRun.record_id == model.id,
                                RuleRun.run_key == key)
    rows = db.session.execute(
        sa.select(model.id, key).where(due, ~already, live_condition(rule.record_type),
                                       *where_clauses(rule.record_type, rule.conditions))
        .order_by(model.id).limit(BATCH)).all()
    return [(record_id, run_key) for record_id, run_key in rows]


def last_activity(type_key: str):
    """The time of the record's last change or timeline entry (automation's own excepted)."""
    from app.timeline.models import TimelineEntry

    model = record_type(type_key).model
    columns = model.__table__.c
    changed = model.updated_at if "updated_at" in columns else model.created_at
    # The record's own activity (its timeline subject: comments, events, mail about it).
    about_it = sa.and_(TimelineEntry.subject_type == type_key, TimelineEntry.subject_id == model.id)
    if type_key == "customer":
        about_it = sa.or_(about_it, TimelineEntry.customer_id == model.id)
    latest_entry = (sa.select(sa.func.max(TimelineEntry.occurred_at))
                    .where(about_it, TimelineEntry.kind != "automation").scalar_subquery())
    return sa.func.greatest(changed, latest_entry)


def _stale(rule: AutomationRule, now: datetime) -> list[tuple[int, str]]:
    model = record_type(rule.record_type).model
    activity = last_activity(rule.record_type)
    key = sa.func.concat("inactive:", sa.func.to_char(sa.func.timezone("UTC", activity),
                                                       "YYYY-MM-DD"))
    return _unrun(rule, model, key, activity < now - timedelta(days=rule.days or 0))
