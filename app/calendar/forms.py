"""The meeting form (dates and times in the user's zone), the held form, the feed and
agenda settings, the weekly report and the workspace's reminder settings."""
from datetime import time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField, TimeField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.calendar.services import MeetingInput
from app.calendar.times import to_utc

KIND_LABELS = {"meeting": _l("Meeting"), "visit": _l("Customer visit"), "call": _l("Call")}
RELATED_LABELS = {"": _l("Nothing"), "customer": _l("Customer"), "contact": _l("Contact"),
                  "opportunity": _l("Opportunity"), "quote": _l("Quote"), "order": _l("Order"),
                  "task": _l("Task")}


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    starts_time = TimeField(_l("at"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired()])
    ends_time = TimeField(_l("at"), validators=[Optional()])
    all_day = BooleanField(_l("All day"))
    location = StringField(_l("Location"), validators=[Optional(), Length(max=200)])
    related_type = SelectField(_l("About"), choices=list(RELATED_LABELS.items()))
    related_id = IntegerField(_l("Record number"), validators=[Optional()])
    user_ids = SelectMultipleField(_l("Colleagues attending"), coerce=int, validate_choice=False)
    contact_ids = SelectMultipleField(_l("Contacts attending"), coerce=int, validate_choice=False)
    remind_minutes = IntegerField(_l("Remind minutes before"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save"))

    def to_input(self, zone) -> MeetingInput | None:
        """The service's input in UTC, or None with an error on a time left out or a date
        outside any sensible calendar (year 9999 would overflow the conversion to UTC)."""
        for field in (self.starts_on, self.ends_on):
            if not 1900 <= field.data.year <= 2200:
                field.errors.append(_l("Enter a date between 1900 and 2200."))
        if self.starts_on.errors or self.ends_on.errors:
            return None
        if self.all_day.data:
            starts_at = to_utc(self.starts_on.data, time(0), zone)
            ends_at = to_utc(self.ends_on.data + timedelta(days=1), time(0), zone)
        else:
            for field in (self.starts_time, self.ends_time):
                if field.data is None:
                    field.errors.append(_l("Enter a time, or tick all day."))
            if self.starts_time.data is None or self.ends_time.data is None:
                return None
            starts_at = to_utc(self.starts_on.data, self.starts_time.data, zone)
            ends_at = to_utc(self.ends_on.data, self.ends_time.data, zone)
        return MeetingInput(
            title=self.title.data.strip(), kind=self.kind.data, starts_at=starts_at,
            ends_at=ends_at, all_day=bool(self.all_day.data),
            location=(self.location.data or "").strip() or None,
            notes=self.notes.data or None, related_type=self.related_type.data or None,
            related_id=self.related_id.data, user_ids=tuple(self.user_ids.data or ()),
            contact_ids=tuple(self.contact_ids.data or ()), remind_minutes=self.remind_minutes.data)


class HeldForm(FlaskForm):
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Mark as held"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel this meeting"))


class AgendaForm(FlaskForm):
    daily_agenda = BooleanField(_l("E-mail me my agenda every morning"))
    submit = SubmitField(_l("Save"))


class FeedForm(FlaskForm):
    submit = SubmitField(_l("Make a new feed address"))


class WeeklyReportForm(FlaskForm):
    body = TextAreaField(_l("Report"), validators=[InputRequired(), Length(max=20000)])
    save = SubmitField(_l("Save"))
    send = SubmitField(_l("Send to my manager"))


class WorkSettingsForm(FlaskForm):
    stale_deal_days = IntegerField(_l("Alert on open deals without activity for (days)"), validators=[
        InputRequired(), NumberRange(min=1, max=365, message=_l("Between 1 and 365."))])
    quote_expiry_days = IntegerField(_l("Remind before a quote's validity ends (days)"), validators=[
        InputRequired(), NumberRange(min=0, max=90, message=_l("Between 0 and 90."))])
    submit = SubmitField(_l("Save"))
