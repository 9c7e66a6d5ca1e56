"""Provider console forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length


class ProviderLoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class ProviderCodeForm(FlaskForm):
    code = StringField(_l("6-digit code from your authenticator app"),
                       validators=[InputRequired(), Length(max=32)])
    submit = SubmitField(_l("Continue"))
