"""Saving, switching and deleting rules; reading the rule log. Services flush, never commit."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.automation import conditions as conds, templates
from app.automation.fields import automatable, date_fields, fields_of, parse_value, settable_fields
from app.automation.models import AutomationRule, RuleRun
from app.automation.webhooks import WebhookRefused, check_url
from app.extensions import db
from app.pagination import keyset_page


class RuleError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def rule_values(form) -> dict:
    """The rule's columns from a submitted RuleForm, or RuleError naming the wrong field."""
    type_key = form.record_type.data
    if not automatable(type_key):
        raise RuleError("record_type", _l("Choose a record type."))
    values = {"name": form.name.data.strip(), "active": form.active.data,
              "record_type": type_key, "trigger": form.trigger.data,
              "trigger_field": None, "trigger_value": None, "days": None}
    values.update(_trigger(form, type_key))
    try:
        values["conditions"] = conds.parse_lines(type_key, form.conditions.data)
    except conds.ConditionError as error:
        raise RuleError("conditions", error)
    values["actions"] = _actions(form, type_key)
    if not values["actions"]:
        raise RuleError("task_on", _l("Choose at least one action."))
    return values


def _trigger(form, type_key: str) -> dict:
    trigger, key = form.trigger.data, (form.trigger_field.data or "").strip()
    if trigger == "changed":
        field = fields_of(type_key).get(key)
        if field is None:
            raise RuleError("trigger_field", _l("There is no field “%(field)s”.", field=key))
        wanted = (form.trigger_value.data or "").strip() or None
        if wanted is not None:
            try:
                parse_value(field, wanted)
            except (ValueError, ArithmeticError):
                raise RuleError("trigger_value", _l("This is not a value %(field)s can take.",
                                                    field=field.label))
        return {"trigger_field": key, "trigger_value": wanted}
    if trigger == "date":
        if key not in date_fields(type_key):
            raise RuleError("trigger_field", _l("Name a date field of this record type."))
        return {"trigger_field": key, "days": form.days.data or 0}
    if trigger == "inactive":
        if not form.days.data or form.days.data < 1:
            raise RuleError("days", _l("Give the number of days without activity (1 or more)."))
        return {"days": form.days.data}
    return {}


def _template(form, name: str) -> str:
    source = form[name].data or ""
    try:
        templates.check(source)
    except templates.TemplateProblem as error:
        raise RuleError(name, _l("The placeholders cannot be read: %(error)s", error=str(error)))
    return source


def _actions(form, type_key: str) -> list[dict]:
    found = []
    if form.task_on.data:
        found.append({"type": "task", "title": _template(form, "task_title") or form.name.data,
                      "assignee": form.task_assignee.data, "due_days": form.task_due_days.data or 0})
    if form.notify_on.data:
        found.append({"type": "notify", "to": form.notify_to.data,
                      "message": _template(form, "notify_message")})
    if form.assign_on.data:
        found.append(_assign(form, type_key))
    if form.set_on.data:
        found.append(_set(form, type_key))
    if form.email_on.data:
        if not (form.email_subject.data or "").strip():
            raise RuleError("email_subject", _l("An e-mail needs a subject."))
        found.append({"type": "email", "to": form.email_to.data,
                      "subject": _template(form, "email_subject"),
                      "body": _template(form, "email_body")})
    if form.webhook_on.data:
        try:
            check_url(form.webhook_url.data)
        except WebhookRefused as error:
            raise RuleError("webhook_url", error)
        found.append({"type": "webhook", "url": form.webhook_url.data.strip()})
    return found


def _assign(form, type_key: str) -> dict:
    if "owner_id" not in fields_of(type_key):
        raise RuleError("assign_on", _l("This kind of record has no owner."))
    if form.assign_user.data and form.assign_user.data != "owner":
        return {"type": "assign", "user_id": int(form.assign_user.data)}
    if form.assign_unit.data:
        return {"type": "assign", "unit_id": int(form.assign_unit.data)}
    raise RuleError("assign_user", _l("Choose a user, or a department or store to take turns."))


def _set(form, type_key: str) -> dict:
    key, raw = (form.set_field.data or "").strip(), (form.set_value.data or "").strip()
    field = settable_fields(type_key).get(key)
    if field is None:
        allowed = ", ".join(settable_fields(type_key)) or "—"
        raise RuleError("set_field", _l("A rule may set only these fields here: %(fields)s",
                                        fields=allowed))
    try:
        parse_value(field, raw)
    except (ValueError, ArithmeticError):
        raise RuleError("set_value", _l("This is not a value %(field)s can take.", field=field.label))
    return {"type": "set", "field": key, "value": raw}


def save_rule(rule: AutomationRule | None, values: dict, user_id: int) -> AutomationRule:
    if rule is None:
        rule = AutomationRule(created_by_id=user_id)
        db.session.add(rule)
    for key, value in values.items():
        setattr(rule, key, value)
    if rule.active:
        rule.disabled_reason = None
    db.session.flush()
    if rule.active and rule.trigger in ("date", "inactive"):
        _wake_now()
    return rule


def _wake_now() -> None:
    from datetime import datetime, timezone

    from app.scheduler import wake_at

    wake_at("automation.dates", datetime.now(timezone.utc))


def set_active(rule: AutomationRule, active: bool) -> None:
    rule.active = active
    if active:
        rule.disabled_reason = None
        if rule.trigger in ("date", "inactive"):
            _wake_now()
    db.session.flush()


def delete_rule(rule: AutomationRule) -> None:
    db.session.delete(rule)
    db.session.flush()


def all_rules() -> list[AutomationRule]:
    return db.session.scalars(sa.select(AutomationRule).order_by(AutomationRule.name,
                                                                 AutomationRule.id)).all()


def runs_of(rule: AutomationRule, before: int | None, size: int = 50):
    """The rule's log, newest first, a page at a time ("Older" link)."""
    query = sa.select(RuleRun).where(RuleRun.rule_id == rule.id)
    return keyset_page(db.session, query, RuleRun.id, before, size)
