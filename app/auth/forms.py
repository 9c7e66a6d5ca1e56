"""Log-in and password forms of the tenant workspace."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from app.auth.passwords import password_problem


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send reset link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Save password"))

    def validate_password(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class CodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[InputRequired(), Length(max=32)])
    submit = SubmitField(_l("Continue"))


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Create my account"))

    validate_password = NewPasswordForm.validate_password
