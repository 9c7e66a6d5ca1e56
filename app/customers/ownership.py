"""Customers and contacts are owned records: handing a leaving rep's records over moves them."""
from flask_babel import lazy_gettext as _l

from app.access.ownership import register_owned
from app.contacts.models import Contact
from app.customers.models import Customer

register_owned(Customer.__table__, "owner_id", _l("Customers"))
register_owned(Contact.__table__, "owner_id", _l("Contacts"))
