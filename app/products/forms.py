"""Product and price-list forms; ProductImportForm validates the rows of a products import."""
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (BooleanField, DecimalField, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.customers.forms import CURRENCIES
from app.products.images import image_problem
from app.products.models import TIERS

NOT_NEGATIVE = NumberRange(min=0, message=_l("Must be zero or more."))
PERCENT = NumberRange(min=0, max=100, message=_l("Between 0 and 100."))


def _blank_to_none(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


class ProductFields(FlaskForm):
    code = StringField(_l("Product code"), validators=[InputRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=80)])
    unit = StringField(_l("Unit of sale"), validators=[Optional(), Length(max=20)],
                       description=_l("e.g. pcs, set, m²"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    tax_rate = DecimalField(_l("Tax rate (%)"), places=2, default=Decimal("13"),
                            validators=[InputRequired(), PERCENT])
    cost = DecimalField(_l("Cost"), places=2, validators=[Optional(), NOT_NEGATIVE],
                        description=_l("Only people allowed to see margins see this."))

    PLAIN_FIELDS = ("code", "name", "category", "unit", "description", "tax_rate")

    def common_values(self) -> dict:
        values = {name: _blank_to_none(getattr(self, name).data) for name in self.PLAIN_FIELDS}
        if "cost" in self:
            values["cost"] = self.cost.data
        return values


class ProductForm(ProductFields):
    image = FileField(_l("Picture"), description=_l("PNG, JPEG, GIF or WebP, at most 2 MB."))
    remove_image = BooleanField(_l("Remove the picture"))
    submit = SubmitField(_l("Save"))

    image_data: bytes | None = None

    def cleaned(self) -> dict:
        values = self.common_values()
        values["list_prices"] = {c: self[f"price_{c}"].data for c in CURRENCIES}
        return values

    def validate_image(self, field):
        """Read the upload here, at most one byte over the limit (as the branding logo is)."""
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.stream.read(current_app.config["PRODUCT_IMAGE_MAX_BYTES"] + 1)
        problem = image_problem(data)
        if problem:
            raise ValidationError(problem)
        self.image_data = data


for _currency in CURRENCIES:  # one list-price field per currency: price_CNY, price_USD, …
    setattr(ProductForm, f"price_{_currency}", DecimalField(
        _l("List price in %(currency)s", currency=_currency), places=2,
        validators=[Optional(), NOT_NEGATIVE]))


class ProductImportForm(ProductFields):
    """One row of a products import: the product plus one list price and its currency."""

    list_price = DecimalField(_l("List price"), places=2, validators=[Optional(), NOT_NEGATIVE])
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES], default="CNY")

    def cleaned(self) -> dict:
        values = self.common_values()
        values["list_price"], values["currency"] = self.list_price.data, self.currency.data
        return values

    @staticmethod
    def row_data(row: dict) -> MultiDict:
        data = {k: v for k, v in row.items() if v not in (None, "")}
        data.setdefault("tax_rate", "0")
        return MultiDict(data)

    @classmethod
    def from_mapping(cls, row: dict) -> "ProductImportForm":
        return cls(formdata=cls.row_data(row), meta={"csrf": False})


class PriceListForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=80)],
                       description=_l("e.g. Dealer, Retail, VIP"))
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    tier = SelectField(_l("For customers of tier"),
                       choices=[("", _l("(none)"))] + [(t, t) for t in TIERS], default="")
    submit = SubmitField(_l("Save"))


class PriceListItemForm(FlaskForm):
    code = StringField(_l("Product code"), validators=[InputRequired(), Length(max=40)])
    price = DecimalField(_l("Price"), places=2, validators=[InputRequired(), NOT_NEGATIVE])
    submit = SubmitField(_l("Set price"))
