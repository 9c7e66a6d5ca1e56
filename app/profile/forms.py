"""Profile forms."""
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from app.auth.passwords import password_problem
from app.i18n import LANGUAGE_NAMES
from app.selects import select_choices

TIME_ZONES = sorted(zone for zone in available_timezones() if "/" in zone)


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[
        Optional(), Length(max=32),
        Regexp(r"^\+?[0-9 ()\-]{5,32}$", message=_l("Enter a phone number, e.g. +86 21 5555 1234."))])
    locale = SelectField(_l("Language"), choices=select_choices(
        [("", _l("The workspace's language"))] + list(LANGUAGE_NAMES.items())))
    time_zone = SelectField(_l("Time zone"), choices=select_choices(
        [("", _l("The workspace's time zone"))] + [(zone, zone) for zone in TIME_ZONES]))
    signature = TextAreaField(_l("E-mail signature"), validators=[Optional(), Length(max=2000)],
                              description=_l("Added below the e-mails you send, such as quotations; "
                                             "replies come back to your address."))
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=200)])
    confirm = PasswordField(_l("Repeat new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Change password"))

    def validate_password(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class EnableTwoFactorForm(FlaskForm):
    code = StringField(_l("Code shown by your authenticator app"),
                       validators=[InputRequired(), Length(max=12)])
    submit = SubmitField(_l("Turn on two-step verification"))


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Turn off two-step verification"))
