"""The customer form: the one set of rules for the web form, the API and the import.

An import row is validated by instantiating this form with the row as its
data (`CustomerForm.from_mapping`), so a row and a form can never disagree.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from app.customers.models import TIERS
from app.phones import InvalidPhone, to_e164

TYPE_LABELS = {
    "prospect": _l("Prospect"), "customer": _l("Customer"), "partner": _l("Partner"),
    "supplier": _l("Supplier"), "competitor": _l("Competitor"),
}
KIND_LABELS = {"company": _l("Company"), "individual": _l("Individual")}
CURRENCIES = ("CNY", "TWD", "HKD", "USD", "EUR", "JPY", "SGD")


def _phone(form, field):
    # An import sets phone_region per row: the country its row names, else the one chosen.
    try:
        field.e164 = to_e164(field.data, getattr(form, "phone_region", None))
    except InvalidPhone:
        raise ValidationError(_l("Not a phone number we can dial."))


class TagsField(StringField):
    """Comma-separated tags (，、 also separate, as Chinese users type them)."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        for separator in ("，", "、", ";"):
            raw = raw.replace(separator, ",")
        self.data = list(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))

    def _value(self):
        return ", ".join(self.data or [])


class CustomerForm(FlaskForm):
    code = StringField(_l("Customer code"), validators=[Optional(), Length(max=40)],
                       description=_l("Leave empty to number automatically."))
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=80)])
    kind = SelectField(_l("Company or individual"), choices=list(KIND_LABELS.items()),
                       default="company")
    type = SelectField(_l("Type"), choices=list(TYPE_LABELS.items()), default="prospect")
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=80)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=80)])
    tier = SelectField(_l("Tier"), choices=[("", _l("Computed"))] + [(t, t) for t in TIERS],
                       default="")
    region = StringField(_l("Region"), validators=[Optional(), Length(max=80)])
    commission_code = StringField(_l("Commission code"), validators=[Optional(), Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), _phone])
    fax = StringField(_l("Fax"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    bank_name = StringField(_l("Bank"), validators=[Optional(), Length(max=120)])
    bank_account = StringField(_l("Bank account"), validators=[Optional(), Length(max=60)])
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES], default="CNY")
    payment_method = StringField(_l("Payment method"), validators=[Optional(), Length(max=40)])
    payment_terms = StringField(_l("Payment terms"), validators=[Optional(), Length(max=80)])
    tax_rule = StringField(_l("Tax rule"), validators=[Optional(), Length(max=80)])
    tax_id = StringField(_l("Tax ID"), validators=[Optional(), Length(max=40)])
    credit_limit = DecimalField(
        _l("Credit limit"), places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("Must be zero or more.")),
                    NumberRange(max=Decimal("999999999999.99"), message=_l("Too large."))])
    credit_rating = StringField(_l("Credit rating"), validators=[Optional(), Length(max=20)])
    credit_record = TextAreaField(_l("Credit record"), validators=[Optional(), Length(max=4000)],
                                  description=_l("How they have paid: late payments, disputes, "
                                                 "guarantees."))
    sales_history = DecimalField(
        _l("Yearly sales before Kehu"), places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("Must be zero or more.")),
                    NumberRange(max=Decimal("99999999999999.99"), message=_l("Too large."))],
        description=_l("In the workspace currency. Added to the last 12 months of orders to "
                       "give the sales volume that ranks customers into tiers A, B and C."))
    tags = TagsField(_l("Tags"))
    preferences = TextAreaField(_l("Preferences"), validators=[Optional(), Length(max=4000)])
    habits = TextAreaField(_l("Habits"), validators=[Optional(), Length(max=4000)])
    character = TextAreaField(_l("Character"), validators=[Optional(), Length(max=4000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    reorder_interval_days = IntegerField(
        _l("Reorders every (days)"),
        validators=[Optional(), NumberRange(min=1, max=3650, message=_l("Between 1 and 3650."))],
        description=_l("The owner is reminded when this many days have passed since the last order."))
    submit = SubmitField(_l("Save"))

    # The fields a service copies onto the model (everything but code/phone/submit).
    PLAIN_FIELDS = (
        "name", "short_name", "kind", "type", "industry", "source", "region",
        "commission_code", "phone", "fax", "email", "website", "bank_name", "bank_account",
        "currency", "payment_method", "payment_terms", "tax_rule", "tax_id", "credit_limit",
        "credit_rating", "credit_record", "sales_history", "tags", "preferences", "habits", "character", "notes",
        "reorder_interval_days",
    )

    # An import validates only the columns it maps (see imports.pipeline): cleaned()
    # then returns only those fields, so unmapped ones keep their defaults.
    PARTIAL_OK = True

    def cleaned(self) -> dict:
        """The validated values, blanks as None, plus phone_e164 and the manual tier."""
        present = self._fields
        values = {name: _blank_to_none(present[name].data)
                  for name in self.PLAIN_FIELDS if name in present}
        if "tags" in present:
            values["tags"] = self.tags.data or []
        if "code" in present:
            values["code"] = (self.code.data or "").strip() or None
        if "phone" in present:
            # An import reuses one form for every row: only a phone typed now has a number.
            values["phone_e164"] = getattr(self.phone, "e164", None) if self.phone.data else None
        if "tier" in present:
            values["tier"] = self.tier.data or None
        return values

    @staticmethod
    def row_data(row: dict) -> MultiDict:
        """An import row as form data."""
        return MultiDict({k: v for k, v in row.items() if v is not None})

    @classmethod
    def from_mapping(cls, row: dict) -> "CustomerForm":
        """A form filled from a plain mapping (an import row), without CSRF."""
        return cls(formdata=cls.row_data(row), meta={"csrf": False})


def _blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value

