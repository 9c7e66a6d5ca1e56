"""The task form; the assignee choices are filled by the view."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DateTimeLocalField, IntegerField, SelectField, StringField,
                     SubmitField, TextAreaField, TimeField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.tasks import recurrence
from app.tasks.services import TaskInput

PRIORITY_LABELS = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}
REPEAT_LABELS = {"": _l("Does not repeat"), "daily": _l("Every day"), "weekly": _l("Every week"),
                 "monthly": _l("Every month"), "yearly": _l("Every year")}
ENDS_LABELS = {"never": _l("Never"), "until": _l("On a date"), "count": _l("After a number of times")}


class TaskForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        InputRequired(_l("Give the task a title.")),
        Length(max=200, message=_l("A title has at most 200 characters."))])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    due_time = TimeField(_l("Due time"), validators=[Optional()],
                         description=_l("Optional, in your time zone."))
    priority = SelectField(_l("Priority"), choices=list(PRIORITY_LABELS.items()), default="normal")
    owner = SelectField(_l("Assigned to"), coerce=int, validate_choice=False)
    remind_at = DateTimeLocalField(_l("Remind at"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()],
                                   description=_l("In your time zone."))
    repeat = SelectField(_l("Repeat"), choices=list(REPEAT_LABELS.items()), default="")
    interval = IntegerField(_l("Every how many"), default=1, validators=[
        Optional(), NumberRange(min=1, max=recurrence.MAX_INTERVAL,
                                message=_l("Between 1 and 365."))])
    ends = SelectField(_l("Ends"), choices=list(ENDS_LABELS.items()), default="never")
    until = DateField(_l("Last date"), validators=[Optional()])
    count = IntegerField(_l("Number of times"), validators=[
        Optional(), NumberRange(min=1, max=recurrence.MAX_COUNT,
                                message=_l("Between 1 and 1000."))])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save"))

    def fill_rule(self, text: str | None) -> None:
        rule = recurrence.parse(text) if text else None
        if rule is None:
            return
        self.repeat.data, self.interval.data = rule.frequency, rule.interval
        if rule.until is not None:
            self.ends.data, self.until.data = "until", rule.until
        elif rule.count is not None:
            self.ends.data, self.count.data = "count", rule.count

    def rule(self) -> recurrence.Rule | None:
        """The repeat rule, or None; errors go on the fields (check self.errors after)."""
        if not self.repeat.data:
            return None
        until = self.until.data if self.ends.data == "until" else None
        count = self.count.data if self.ends.data == "count" else None
        if self.ends.data == "until" and until is None:
            self.until.errors.append(_l("Give the last date, or choose another end."))
        if self.ends.data == "until" and until and self.due_date.data and until < self.due_date.data:
            self.until.errors.append(_l("The last date is before the due date."))
        if self.ends.data == "count" and count is None:
            self.count.errors.append(_l("Give the number of times, or choose another end."))
        return recurrence.Rule(self.repeat.data, self.interval.data or 1, until, count)

    def values(self, zone: str, related=None) -> TaskInput | None:
        rule = self.rule()
        if self.until.errors or self.count.errors:
            return None
        return TaskInput(
            title=self.title.data, owner_id=self.owner.data, zone=zone, notes=self.notes.data,
            due_date=self.due_date.data, due_time=self.due_time.data,
            priority=self.priority.data, rule=rule, remind_at=self.remind_at.data,
            related=related)
