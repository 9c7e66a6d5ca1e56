"""The audit viewer's filter form (GET, so no CSRF token)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from app.audit.services import ACTION_NAMES, RECORD_TYPE_NAMES, AuditFilter, record_types


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField(_l("User"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    record_type = SelectField(_l("Record type"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def fill_choices(self, users) -> "AuditFilterForm":
        self.user.choices = [("", _l("Anyone"))] + [(str(u.id), f"{u.name} <{u.email}>") for u in users]
        self.action.choices = [("", _l("Any action"))] + list(ACTION_NAMES.items())
        self.record_type.choices = [("", _l("Any record"))] + [
            (name, RECORD_TYPE_NAMES.get(name, name)) for name in record_types()
        ]
        return self

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def to_filter(self, time_zone: str) -> AuditFilter:
        return AuditFilter(
            user_id=int(self.user.data) if self.user.data else None,
            action=self.action.data or None, record_type=self.record_type.data or None,
            since=self.since.data, until=self.until.data, time_zone=time_zone,
        )
