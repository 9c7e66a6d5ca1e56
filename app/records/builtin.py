"""The record types of the customer and sales modules (imported by app.tenant_schema)."""
from flask_babel import lazy_gettext as _l

from app.contacts.models import Contact
from app.customers.models import Customer
from app.opportunities.models import Opportunity
from app.orders.models import Order
from app.quotes.models import Quote
from app.records import RecordType, register_record_type

register_record_type(RecordType(
    "customer", Customer, _l("Customer"), "workspace.customers.show", "customer_id",
    "customers", title=lambda c: c.name, customer_id=lambda c: c.id))
register_record_type(RecordType(
    "contact", Contact, _l("Contact"), "workspace.contacts.show", "contact_id",
    "contacts", title=lambda c: c.name, customer_id=lambda c: c.customer_id))
register_record_type(RecordType(
    "opportunity", Opportunity, _l("Opportunity"), "workspace.opportunities.show",
    "opportunity_id", "sales", title=lambda o: o.name, customer_id=lambda o: o.customer_id))
register_record_type(RecordType(
    "quote", Quote, _l("Quote"), "workspace.quotes.show", "quote_id", "sales",
    title=lambda q: q.label, customer_id=lambda q: q.customer_id))
register_record_type(RecordType(
    "order", Order, _l("Order"), "workspace.orders.show", "order_id", "sales",
    title=lambda o: o.number, customer_id=lambda o: o.customer_id))
