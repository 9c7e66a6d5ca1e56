"""The contact form (also validates contact import rows)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.phones import InvalidPhone, to_e164

DECISION_ROLE_LABELS = {
    "": _l("—"), "decision_maker": _l("Decision maker"), "influencer": _l("Influencer"),
    "user": _l("User"), "gatekeeper": _l("Gatekeeper"), "other": _l("Other"),
}


def _phone(form, field):
    # An import sets phone_region: the region chosen for numbers without a country code.
    try:
        field.e164 = to_e164(field.data, getattr(form, "phone_region", None))
    except InvalidPhone:
        raise ValidationError(_l("Not a phone number we can dial."))


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    customer_code = StringField(_l("Customer code"), validators=[Optional(), Length(max=40)],
                                description=_l("The customer this person works for."))
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=80)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), _phone])
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=40), _phone])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    wechat = StringField(_l("WeChat"), validators=[Optional(), Length(max=60)])
    line_id = StringField(_l("LINE"), validators=[Optional(), Length(max=60)])
    whatsapp = StringField(_l("WhatsApp"), validators=[Optional(), Length(max=40)])
    birthday = DateField(_l("Birthday"), validators=[Optional()])
    decision_role = SelectField(_l("Role in decisions"), choices=list(DECISION_ROLE_LABELS.items()),
                                default="")
    is_primary = BooleanField(_l("Primary contact"))
    preferences = TextAreaField(_l("Preferences"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save"))

    PLAIN_FIELDS = ("name", "title", "department", "phone", "mobile", "email", "wechat",
                    "line_id", "whatsapp", "birthday", "decision_role", "is_primary",
                    "preferences")

    PARTIAL_OK = True  # see CustomerForm.PARTIAL_OK

    def cleaned(self) -> dict:
        present, values = self._fields, {}
        for name in self.PLAIN_FIELDS:
            if name in present:
                value = present[name].data
                values[name] = (value.strip() or None) if isinstance(value, str) else value
        # An import reuses one form for every row: only a number typed now counts.
        for field, column in (("phone", "phone_e164"), ("mobile", "mobile_e164")):
            if field in present:
                values[column] = getattr(present[field], "e164", None) if present[field].data else None
        if "customer_code" in present:
            values["customer_code"] = (self.customer_code.data or "").strip() or None
        return values

    @staticmethod
    def row_data(row: dict) -> MultiDict:
        return MultiDict({k: v for k, v in row.items() if v is not None})

    @classmethod
    def from_mapping(cls, row: dict) -> "ContactForm":
        return cls(formdata=cls.row_data(row), meta={"csrf": False})
