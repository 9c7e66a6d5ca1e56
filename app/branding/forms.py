"""The branding form. The logo is read here, at most one byte over the limit."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, ColorField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from app.branding.services import logo_problem

TEXT = [Length(max=2000)]


class BrandingForm(FlaskForm):
    company_name = StringField(_l("Company name"), validators=[Length(max=200)],
                               description=_l("Shown in the workspace and on documents."))
    primary_color = ColorField(_l("Primary colour"), validators=[
        InputRequired(), Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Use a colour like #1f5fa8."))])
    logo = FileField(_l("Logo"), description=_l("PNG, JPEG, GIF or WebP, at most 1 MB."))
    remove_logo = BooleanField(_l("Remove the logo"))
    mail_sender_name = StringField(_l("Mail sender name"), validators=[
        Length(max=100), Regexp(r"^[^\x00-\x1f\x7f]*$", message=_l("Use one line of text."))],
        description=_l("The name your e-mails come from; the workspace's name when empty."))
    email_footer = TextAreaField(_l("E-mail footer"), validators=TEXT)
    call_greeting = TextAreaField(_l("Call-center greeting"), validators=TEXT)
    call_closing = TextAreaField(_l("Call-center closing"), validators=TEXT)
    quote_header = TextAreaField(_l("Quotation header"), validators=TEXT)
    quote_footer = TextAreaField(_l("Quotation footer"), validators=TEXT)
    submit = SubmitField(_l("Save branding"))

    logo_data: bytes | None = None

    def validate_logo(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.stream.read(current_app.config["BRANDING_LOGO_MAX_BYTES"] + 1)
        problem = logo_problem(data)
        if problem:
            raise ValidationError(problem)
        self.logo_data = data
