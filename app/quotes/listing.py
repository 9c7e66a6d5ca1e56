"""The quote list's columns, filters and sorts (app/lists: keyset pages, saved views)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.customers.models import Customer
from app.lists.spec import Column, Filter, ListSpec
from app.quotes.models import STATUSES, Quote

QUOTE_LIST = ListSpec(
    model=Quote,
    columns=(
        Column("number", _l("Number"), lambda q: q.label, default=True),
        Column("customer", _l("Customer"), lambda q: q.customer.name, default=True),
        Column("status", _l("Status"), lambda q: q.status, default=True),
        Column("total", _l("Total"), lambda q: q.total, default=True),
        Column("valid_until", _l("Valid until"), lambda q: q.valid_until, default=True),
    ),
    filters=(
        Filter("q", _l("Number or customer"), "text", (Quote.number, Customer.name)),
        Filter("status", _l("Status"), "choice", Quote.status, tuple((s, s) for s in STATUSES)),
    ),
    sorts={"created": (_l("Created"), Quote.created_at), "number": (_l("Number"), Quote.number)},
    default_sort="-created",
)


def quotes_query(user) -> sa.Select:
    """The current version of every quote user may see, with its customer."""
    from app.access.visibility import visible_to

    return (sa.select(Quote).join(Customer, Customer.id == Quote.customer_id)
            .where(Quote.is_current, visible_to(user, Quote))
            .options(selectinload(Quote.customer)))
