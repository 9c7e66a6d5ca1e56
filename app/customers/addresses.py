"""A customer's three addresses (registered, delivery, invoice) on one page."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FormField, StringField
from wtforms import Form
from wtforms.validators import Length, Optional

from app.access.permissions import requires
from app.customers.models import ADDRESS_KINDS, Address
from app.access.visibility import editable_or_403
from app.customers.blueprint import bp
from app.customers.models import Customer
from app.extensions import db

ADDRESS_LABELS = {"registered": _l("Registered address"), "delivery": _l("Delivery address"),
                  "invoice": _l("Invoice address")}


class AddressForm(Form):
    line1 = StringField(_l("Street and number"), validators=[Optional(), Length(max=200)])
    line2 = StringField(_l("Floor, building"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80)])
    region = StringField(_l("Province or region"), validators=[Optional(), Length(max=80)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=20)])
    country = StringField(_l("Country code"), validators=[Optional(), Length(min=2, max=2)],
                          description=_l("Two letters, e.g. CN, TW, HK."))


class AddressesForm(FlaskForm):
    registered = FormField(AddressForm, label=ADDRESS_LABELS["registered"])
    delivery = FormField(AddressForm, label=ADDRESS_LABELS["delivery"])
    invoice = FormField(AddressForm, label=ADDRESS_LABELS["invoice"])


def save_addresses(customer, form: AddressesForm) -> None:
    """An address with a street is kept or updated; one left without a street is removed."""
    existing = {address.kind: address for address in customer.addresses}
    for kind in ADDRESS_KINDS:
        data = {k: (v or "").strip() or None for k, v in form[kind].data.items()}
        if data.get("country"):
            data["country"] = data["country"].upper()
        address = existing.get(kind)
        if not data["line1"]:
            if address is not None:
                customer.addresses.remove(address)
            continue
        if address is None:
            address = Address(kind=kind)
            customer.addresses.append(address)
        for name, value in data.items():
            setattr(address, name, value)
    db.session.flush()


@bp.route("/<int:customer_id>/addresses", methods=["GET", "POST"])
@requires("customers", "edit")
def addresses(customer_id):
    customer = editable_or_403(Customer, customer_id)
    form = AddressesForm()
    if not form.is_submitted():
        for address in customer.addresses:
            form[address.kind].process(None, obj=address)
    if form.validate_on_submit():
        save_addresses(customer, form)
        flash(_("Addresses saved."), "success")
        return redirect(url_for("workspace.customers.show", customer_id=customer.id))
    return render_template("customers/addresses.html", customer=customer, form=form), (
        422 if form.is_submitted() else 200)
