"""The opportunity form; choices (stages, owners, contacts) are filled by the view."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, DecimalField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.access.visibility import visible_by_code
from app.customers.forms import CURRENCIES
from app.customers.models import Customer
from app.extensions import db
from app.products.models import Product


class OpportunityForm(FlaskForm):
    name = StringField(_l("Deal"), validators=[InputRequired(), Length(max=200)])
    customer_code = StringField(_l("Customer code"), validators=[InputRequired(), Length(max=40)])
    contacts = SelectMultipleField(_l("Contacts"), coerce=int, validate_choice=False)
    owner = SelectField(_l("Owner"), coerce=int)
    stage = SelectField(_l("Stage"), coerce=int)
    probability = IntegerField(
        _l("Probability (%)"), description=_l("Leave empty to use the stage's probability."),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))])
    amount = DecimalField(_l("Amount"), places=2, validators=[
        InputRequired(), NumberRange(min=0, message=_l("The amount cannot be negative."))])
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    expected_close = DateField(_l("Expected close"), validators=[Optional()])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=80)])
    next_step = StringField(_l("Next step"), validators=[Optional(), Length(max=200)])
    next_step_date = DateField(_l("Next step on"), validators=[Optional()],
                               description=_l("The owner is reminded that morning."))
    product_code = StringField(_l("Main product (code)"), validators=[Optional(), Length(max=40)])
    won_lost_reason = TextAreaField(_l("Won / lost reason"), validators=[Optional(), Length(max=4000)])
    reason = StringField(_l("Reason for moving a closed deal back"),
                         validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))

    # The customer the deal being edited already has: keeping it needs no visibility.
    linked_customer_id: int | None = None

    def resolve(self) -> dict | None:
        """The service's values, or None with errors on the fields that name nothing (or a
        customer this user may not see)."""
        customer = visible_by_code(Customer, self.customer_code.data,
                                   linked_id=self.linked_customer_id)
        if customer is None:
            self.customer_code.errors.append(_l("No customer has this code."))
        product_id = None
        if self.product_code.data and self.product_code.data.strip():
            product_id = db.session.scalar(sa.select(Product.id).where(
                sa.func.lower(Product.code) == self.product_code.data.strip().lower()))
            if product_id is None:
                self.product_code.errors.append(_l("No product has this code."))
        if customer is None or (self.product_code.data or "").strip() and product_id is None:
            return None
        return {
            "name": self.name.data.strip(), "customer_id": customer.id,
            "contact_ids": self.contacts.data or [], "owner_id": self.owner.data,
            "stage_id": self.stage.data, "probability": self.probability.data,
            "amount": self.amount.data, "currency": self.currency.data,
            "expected_close": self.expected_close.data, "source": self.source.data or None,
            "next_step": self.next_step.data or None,
            "next_step_date": self.next_step_date.data, "product_id": product_id,
            "won_lost_reason": self.won_lost_reason.data or None,
        }
