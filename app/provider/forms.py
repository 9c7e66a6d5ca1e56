"""Provider console forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import Email, InputRequired, Length


class ProviderLoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))
