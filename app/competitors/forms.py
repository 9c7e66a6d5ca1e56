"""Competitor profile and deal SWOT forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

PRICE_POSITION_NAMES = {"": _l("—"), "lower": _l("Cheaper than us"),
                        "similar": _l("About our price"), "higher": _l("Dearer than us")}


def _text(label, size=4000):
    return TextAreaField(label, validators=[Optional(), Length(max=size)])


class CompetitorForm(FlaskForm):
    name = StringField(_l("Company"), validators=[InputRequired(), Length(max=200)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    products = _text(_l("Products"))
    strengths = _text(_l("Strengths"))
    weaknesses = _text(_l("Weaknesses"))
    price_position = SelectField(_l("Price positioning"), choices=list(PRICE_POSITION_NAMES.items()))
    notes = _text(_l("Notes"), 10000)
    submit = SubmitField(_l("Save"))

    def cleaned(self) -> dict:
        return {name: (getattr(self, name).data or "").strip() or None
                for name in ("name", "website", "products", "strengths", "weaknesses",
                             "price_position", "notes")}


class SwotForm(FlaskForm):
    competitor = SelectField(_l("Competitor"), coerce=int)
    strengths = _text(_l("Our strengths against them"))
    weaknesses = _text(_l("Our weaknesses against them"))
    opportunities = _text(_l("Opportunities"))
    threats = _text(_l("Threats"))
    strategy = _text(_l("Strategy"))
    submit = SubmitField(_l("Save SWOT"))
