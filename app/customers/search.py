"""How customers and contacts are found by the search builder."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.contacts.models import Contact
from app.customers.models import Customer
from app.search.builder import SearchSpec, register
from app.search.tokenizer import email_tokens, phone_tokens, tokens


def customer_document(customer: Customer) -> dict[str, list[str]]:
    return {
        "A": tokens(customer.name) + tokens(customer.short_name) + tokens(customer.code),
        "B": phone_tokens(customer.phone_e164) + email_tokens(customer.email),
        "C": tokens(customer.industry) + tokens(customer.region) + tokens(customer.tax_id)
        + [tag for t in (customer.tags or []) for tag in tokens(t)],
    }


def contact_document(contact: Contact) -> dict[str, list[str]]:
    return {
        "A": tokens(contact.name),
        "B": phone_tokens(contact.phone_e164) + phone_tokens(contact.mobile_e164)
        + email_tokens(contact.email) + tokens(contact.wechat),
        "C": tokens(contact.title) + tokens(contact.department),
    }


def _visible(model):
    def where(user):
        from app.access.visibility import visible_to

        return sa.and_(model.deleted_at.is_(None), visible_to(user, model))
    return where


def _joined(*parts) -> str:
    return " · ".join(part for part in parts if part)


register(SearchSpec(
    Customer, "customer", customer_document, label=_l("Customers"), module="customers",
    visible=_visible(Customer), title=lambda c: c.name,
    link=lambda c: ("workspace.customers.show", {"customer_id": c.id}),
    subtitle=lambda c: _joined(c.code, c.phone, c.email)))
register(SearchSpec(
    Contact, "contact", contact_document, label=_l("Contacts"), module="contacts",
    visible=_visible(Contact), title=lambda c: c.name,
    link=lambda c: ("workspace.contacts.show", {"contact_id": c.id}),
    subtitle=lambda c: _joined(c.title, c.mobile or c.phone, c.email)))
