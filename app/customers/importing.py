"""What a customer import row may hold beyond the customer form, as Chinese SMEs'
spreadsheets do: an address, the sales rep (by name or e-mail) and a primary contact.

The import pipeline (app/imports) calls these through the customers ImportTarget.
"""
import phonenumbers
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import Email, Length, Optional, ValidationError

from app.auth.models import User
from app.contacts.models import Contact
from app.customers.forms import CustomerForm
from app.customers.models import Address, Customer
from app.customers.search import contact_document
from app.extensions import db
from app.phones import InvalidPhone, region_named, to_e164
from app.search.builder import vector_literal

ADDRESS_FIELDS = ("address", "city", "postal_code", "country")
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
EXTRA_FIELDS = ADDRESS_FIELDS + CONTACT_FIELDS


def _contact_phone(form, field):
    try:
        field.e164 = to_e164(field.data, getattr(form, "phone_region", None))
    except InvalidPhone:
        raise ValidationError(_l("Not a phone number we can dial."))


def _country(form, field):
    if field.data and region_named(field.data) is None:
        raise ValidationError(_l("Give the country as a name or a two-letter code, e.g. CN or TW."))


def _sales_rep(form, field):
    user_id = active_users().get(field.data.strip().lower()) if field.data else None
    if field.data and user_id is None:
        raise ValidationError(_l("No single active user has this name or e-mail."))
    field.user_id = user_id


def active_users() -> dict[str, int | None]:
    """{lower-case name or e-mail: user id}; None for a name two users share."""
    found: dict[str, int | None] = {}
    for user_id, name, email in db.session.execute(
            sa.select(User.id, User.name, User.email).where(User.active.is_(True))):
        found[email.lower()] = user_id
        key = (name or "").strip().lower()
        if key:
            found[key] = None if key in found and found[key] != user_id else user_id
    return found


class CustomerImportForm(CustomerForm):
    """One row of a customers import: the customer form plus address, rep and contact."""

    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=20)])
    country = StringField(_l("Country"), validators=[Optional(), Length(max=40), _country])
    sales_rep = StringField(_l("Sales rep (name or e-mail)"),
                            validators=[Optional(), Length(max=254), _sales_rep])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_phone = StringField(_l("Contact phone"),
                                validators=[Optional(), Length(max=40), _contact_phone])
    contact_email = EmailField(_l("Contact e-mail"),
                               validators=[Optional(), Email(), Length(max=254)])

    def cleaned(self) -> dict:
        values = super().cleaned()
        present = self._fields
        for name in EXTRA_FIELDS:
            if name in present:
                values[name] = (present[name].data or "").strip() or None
        if values.get("country"):
            values["country"] = region_named(values["country"])
        if values.get("contact_phone"):
            values["contact_phone_e164"] = getattr(self.contact_phone, "e164", None)
        if "sales_rep" in present:
            values["owner_id"] = getattr(self.sales_rep, "user_id", None) if self.sales_rep.data else None
        return values


def row_region(row: dict) -> str | None:
    """The country a row names (country column, else region, else address), if any."""
    for name in ("country", "region", "address"):
        region = region_named(row.get(name))
        if region:
            return region
    return None


def add_extras(extras: dict[int, dict], owners: dict[int, tuple]) -> None:
    """The registered address and primary contact of each customer id in extras (new or
    updated): an address replaces the registered one; a contact is added unless the
    customer already has one of that name. owners: {customer id: (owner id, unit id)}."""
    addressed = {cid: ex for cid, ex in extras.items() if ex.get("address")}
    if addressed:
        db.session.execute(sa.delete(Address).where(Address.customer_id.in_(addressed),
                                                    Address.kind == "registered"))
        db.session.execute(sa.insert(Address), [
            {"customer_id": cid, "kind": "registered", "line1": ex["address"], "line2": None,
             "city": ex.get("city"), "region": None, "postal_code": ex.get("postal_code"),
             "country": ex.get("country")} for cid, ex in addressed.items()])
    with_contact = {cid: ex for cid, ex in extras.items() if ex.get("contact_name")}
    if with_contact:
        _add_contacts(with_contact, owners)


def _add_contacts(extras: dict[int, dict], owners: dict[int, tuple]) -> None:
    existing = db.session.execute(
        sa.select(Contact.customer_id, sa.func.lower(Contact.name), Contact.is_primary)
        .where(Contact.customer_id.in_(extras), Contact.deleted_at.is_(None))).all()
    named = {(cid, name) for cid, name, _ in existing}
    has_primary = {cid for cid, _, primary in existing if primary}
    rows = []
    for cid, ex in extras.items():
        if (cid, ex["contact_name"].lower()) in named:
            continue
        phone, e164 = ex.get("contact_phone"), ex.get("contact_phone_e164")
        mobile = e164 and phonenumbers.number_type(phonenumbers.parse(e164)) in (
            phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        row = {"customer_id": cid, "name": ex["contact_name"], "email": ex.get("contact_email"),
               "phone": None if mobile else phone, "phone_e164": None if mobile else e164,
               "mobile": phone if mobile else None, "mobile_e164": e164 if mobile else None,
               "is_primary": cid not in has_primary, "owner_id": owners[cid][0],
               "unit_id": owners[cid][1], "custom": {}}
        row["search_vector"] = vector_literal(contact_document(_Row(row)))
        rows.append(row)
    if rows:
        db.session.execute(sa.insert(Contact), rows)


def owners_of(ids) -> dict[int, tuple]:
    return {cid: (owner, unit) for cid, owner, unit in db.session.execute(
        sa.select(Customer.id, Customer.owner_id, Customer.unit_id).where(Customer.id.in_(ids)))}


class _Row:
    def __init__(self, values):
        self.__dict__.update(values)

    def __getattr__(self, name):
        return None
