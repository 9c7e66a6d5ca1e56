"""The sign-up form; plan choices are filled in from the plans table per request."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.auth.passwords import password_problem
from app.i18n import LANGUAGE_NAMES
from billing.models import CURRENCIES

TIME_ZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Singapore",
              "Asia/Kuala_Lumpur", "Asia/Tokyo", "Europe/London", "America/Los_Angeles",
              "America/New_York", "UTC")


class SignupForm(FlaskForm):
    company_name = StringField(_l("Company name"), validators=[InputRequired(), Length(max=200)])
    slug = StringField(_l("Workspace address"), validators=[InputRequired(), Length(max=32)],
                       filters=[lambda value: (value or "").strip().lower()],
                       description=_l("Your staff will sign in at /t/<address>/"))
    admin_name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)],
                       filters=[lambda value: (value or "").strip().lower()])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    plan = SelectField(_l("Plan after the free trial"), validators=[InputRequired()])
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    interval = RadioField(_l("Billing"), default="month",
                          choices=[("month", _l("Monthly")), ("year", _l("Yearly (2 months free)"))])
    language = SelectField(_l("Language"), choices=list(LANGUAGE_NAMES.items()))
    time_zone = SelectField(_l("Time zone"), choices=[(z, z) for z in TIME_ZONES])
    # Honeypot: hidden from people by CSS; a bot that fills it is refused.
    website = StringField(_l("Leave this empty"), validators=[Optional(), Length(max=200)])
    nonce = HiddenField(validators=[InputRequired(), Length(min=16, max=64)])
    submit = SubmitField(_l("Start my free trial"))

    def validate_password(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
