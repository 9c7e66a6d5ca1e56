"""Where the sales modules plug into shared machinery: customer merges, record ownership,
search, and the approval document types. Imported once by app.tenant_schema."""
from flask_babel import lazy_gettext as _l

from app.access.ownership import register_owned
from app.competitors import search as _competitor_search  # noqa: F401  (registers with search)
from app.customers.merging import CUSTOMER_REFERENCES
from app.opportunities.models import Opportunity
from app.orders.models import Order
from app.products import search as _product_search  # noqa: F401
from app.quotes import workflow as _quote_workflow  # noqa: F401  (approval document type)
from app.quotes.models import Quote, QuoteLine


def _register() -> None:
    for table in (Opportunity.__table__, Quote.__table__, QuoteLine.__table__, Order.__table__):
        if (table, "customer_id") not in CUSTOMER_REFERENCES:
            CUSTOMER_REFERENCES.append((table, "customer_id"))
    register_owned(Opportunity.__table__, "owner_id", _l("Opportunities"))
    register_owned(Quote.__table__, "owner_id", _l("Quotes"))
    register_owned(Order.__table__, "owner_id", _l("Orders"))


_register()
