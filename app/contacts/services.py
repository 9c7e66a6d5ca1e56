"""Contact rules: link to a customer by code, one primary contact per customer, soft delete."""
import sqlalchemy as sa

from app.access.visibility import visible_by_code
from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from billing import limits


class ContactError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def _customer_id_for(code: str | None, viewer, linked_id: int | None) -> int | None:
    """The customer named by code: one viewer may see (any live one when no viewer is given,
    as for demo data), or the one the contact is already linked to."""
    from flask_babel import lazy_gettext as _l

    if not code:
        return None
    if viewer is None:
        customer = db.session.scalar(sa.select(Customer).where(
            sa.func.lower(Customer.code) == code.lower(), Customer.deleted_at.is_(None)))
    else:
        customer = visible_by_code(Customer, code, viewer, linked_id=linked_id)
    if customer is None:
        raise ContactError("customer_code", _l("No customer has this code."))
    return customer.id


def _apply(contact: Contact, values: dict, viewer=None) -> None:
    values = dict(values)
    contact.customer_id = _customer_id_for(values.pop("customer_code", None), viewer,
                                           contact.customer_id)
    values["decision_role"] = values.get("decision_role") or None
    if "custom" in values:
        contact.custom = {**(contact.custom or {}), **values.pop("custom")}
    for name, value in values.items():
        setattr(contact, name, value)
    if contact.is_primary and contact.customer_id:
        db.session.execute(sa.update(Contact).where(
            Contact.customer_id == contact.customer_id, Contact.id != contact.id,
            Contact.is_primary.is_(True)).values(is_primary=False))


def create_contact(values: dict, owner_id: int | None, unit_id: int | None = None,
                   viewer=None) -> Contact:
    """A new contact; billing.limits.LimitReached when the plan's record limit is reached.
    viewer: the user typing it, who may link it only to a customer they may see."""
    limits.check("records", 1)
    contact = Contact(owner_id=owner_id, unit_id=unit_id, custom={})
    _apply(contact, values, viewer)  # before add: its customer lookup must not flush a half-filled row
    db.session.add(contact)
    db.session.flush()
    return contact


def update_contact(contact: Contact, values: dict, viewer=None) -> Contact:
    _apply(contact, values, viewer)
    db.session.flush()
    return contact


def soft_delete(ids: list[int]) -> int:
    return db.session.execute(sa.update(Contact).where(
        Contact.id.in_(ids), Contact.deleted_at.is_(None)).values(deleted_at=sa.func.now())).rowcount


def find_by_phone(raw: str) -> list[Contact]:
    """Who is calling: contacts whose phone or mobile is this number, typed in any format."""
    from app.phones import InvalidPhone, to_e164

    try:
        e164 = to_e164(raw)
    except InvalidPhone:
        return []
    if e164 is None:
        return []
    return list(db.session.scalars(sa.select(Contact).where(
        Contact.deleted_at.is_(None),
        sa.or_(Contact.phone_e164 == e164, Contact.mobile_e164 == e164))))
