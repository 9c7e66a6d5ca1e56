"""The rule form: one section per action, in the order the actions run.

Choices (record types, users, units) are filled by the view; what the fields mean
together (a field that exists on the type, an operator that fits it, a safe URL) is
checked by services.rule_values, which names the field that is wrong.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, IntegerField, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.selects import select_choices

TRIGGER_LABELS = {
    "created": _l("A record is created"),
    "changed": _l("A field changes"),
    "date": _l("A date arrives"),
    "inactive": _l("No activity for some days"),
}
RECIPIENTS = {"contact": _l("The record's e-mail address or its contact"), "owner": _l("The owner")}
DAYS = [Optional(), NumberRange(min=-3650, max=3650)]


class RuleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    active = BooleanField(_l("Active"), default=True)
    record_type = SelectField(_l("Record type"))
    trigger = SelectField(_l("When"), choices=select_choices(TRIGGER_LABELS.items()))
    trigger_field = StringField(
        _l("Field"), validators=[Length(max=60)],
        description=_l("For “a field changes” and “a date arrives”: the field's key, e.g. tier "
                       "or expected_close."))
    trigger_value = StringField(
        _l("Becomes"), validators=[Length(max=200)],
        description=_l("For “a field changes”: the new value it must have; empty for any change."))
    days = IntegerField(
        _l("Days"), validators=DAYS,
        description=_l("A date arrives: in this many days (negative: that many days ago). "
                       "No activity: for this many days."))
    conditions = TextAreaField(
        _l("Only if"), validators=[Length(max=4000)],
        description=_l("One condition a line: field operator value, e.g. “tier = A”, "
                       "“credit_limit >= 10000”, “closed_on empty”. Operators: = contains >= <= "
                       "empty not_empty."))

    task_on = BooleanField(_l("Create a task"))
    task_title = StringField(_l("Task title"), validators=[Length(max=200)])
    task_assignee = SelectField(_l("Assign the task to"), default="owner")
    task_due_days = IntegerField(_l("Due in days"), validators=DAYS)

    notify_on = BooleanField(_l("Notify someone"))
    notify_to = SelectField(_l("Notify"), default="owner")
    notify_message = StringField(_l("Message"), validators=[Length(max=500)])

    assign_on = BooleanField(_l("Assign the owner"))
    assign_user = SelectField(_l("To this user"), default="")
    assign_unit = SelectField(_l("Or in turn among the active users of"), default="")

    set_on = BooleanField(_l("Set a field"))
    set_field = StringField(_l("Field to set"), validators=[Length(max=60)],
                            description=_l("Its key, e.g. tier, type, region or priority."))
    set_value = StringField(_l("Value"), validators=[Length(max=200)])

    email_on = BooleanField(_l("Send an e-mail"))
    email_to = SelectField(_l("To"), choices=select_choices(RECIPIENTS.items()), default="contact")
    email_subject = StringField(_l("Subject"), validators=[Length(max=200)])
    email_body = TextAreaField(
        _l("Text"), validators=[Length(max=20000)],
        description=_l("Placeholders: {{ record.name }}, {{ record.title }}, any field as "
                       "{{ record.<key> }}, {{ rule.name }}."))

    webhook_on = BooleanField(_l("Call a webhook"))
    webhook_url = StringField(_l("Webhook address (https)"), validators=[Length(max=500)])

    submit = SubmitField(_l("Save rule"))


class ConfirmForm(FlaskForm):
    """The CSRF token of the small buttons (turn on/off, delete)."""
