"""The quote header form and the parsing of the editor's line rows."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, EmailField, HiddenField, SelectField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from app.customers.forms import CURRENCIES
from app.quotes.services import LineEntry

# WTForms formats the message with %: "%%" shows as "%".
PERCENT = NumberRange(min=0, max=100, message=_l("A discount is between 0 and 100%%."))


class QuoteForm(FlaskForm):
    customer_code = StringField(_l("Customer code"), validators=[InputRequired(), Length(max=40)])
    contact = SelectField(_l("Contact"), coerce=int, validate_choice=False)
    opportunity = HiddenField()
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    discount_percent = DecimalField(_l("Total discount (%)"), places=2, default=Decimal("0"),
                                    validators=[Optional(), PERCENT])
    terms = TextAreaField(_l("Terms"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save"))


class SendForm(FlaskForm):
    to = EmailField(_l("To"), validators=[InputRequired(), Email(), Length(max=254)])
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Send the quote"))


def _number(text: str, required: bool) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        if required:
            raise ValueError(str(_l("Enter a quantity.")))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(str(_l("%(text)s is not a number.", text=text)))
    if not value.is_finite():
        raise ValueError(str(_l("%(text)s is not a number.", text=text)))
    return value


def parse_lines(form) -> tuple[list[LineEntry], list[dict], dict[int, str]]:
    """(entries, the rows as typed, {row index: problem}) from the editor's line_* fields;
    rows without a product code are ignored."""
    columns = [form.getlist(f"line_{name}") for name in ("code", "quantity", "price", "discount")]
    entries, rows, problems = [], [], {}
    for code, quantity, price, discount in zip(*columns):
        if not code.strip():
            continue
        index = len(rows)
        rows.append({"code": code, "quantity": quantity, "price": price, "discount": discount})
        try:
            entries.append(LineEntry(code.strip(), _number(quantity, True), _number(price, False),
                                     _number(discount, False) or Decimal("0")))
        except ValueError as error:
            problems[index] = str(error)
    return entries, rows, problems
