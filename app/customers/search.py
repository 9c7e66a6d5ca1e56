"""How customers and contacts are found by the search builder."""
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


register(SearchSpec(Customer, "customer", customer_document))
register(SearchSpec(Contact, "contact", contact_document))
