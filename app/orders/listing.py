"""The order list: its columns, filters and sorts, read by app.lists like the customer list's.

Dates are filtered on the day the order was placed in the user's time zone
(a 00:30 order in Shanghai belongs to that day, not to the UTC day before).
"""
import sqlalchemy as sa
from flask_babel import get_timezone, lazy_gettext as _l

from app.access.visibility import visible_to
from app.customers.forms import CURRENCIES
from app.customers.models import Customer
from app.lists.spec import Column, Filter, ListSpec
from app.orders.models import Order

# "Open" alone is already an invoice status ("awaiting payment") in the catalogues.
STATUS_NAMES = {"open": _l("Open order")}


def order_list() -> ListSpec:
    """The spec, built per request: the date filters need the user's time zone."""
    local_day = sa.func.timezone(str(get_timezone()), Order.ordered_at)
    return ListSpec(
        model=Order,
        columns=(
            Column("number", _l("Number"), lambda o: o.number, default=True),
            Column("ordered", _l("Date"), lambda o: o.ordered_at, default=True),
            Column("customer", _l("Customer"), lambda o: o.customer.name, default=True),
            Column("owner", _l("Owner"), lambda o: o.owner.name if o.owner else "", default=True),
            Column("total", _l("Total"), lambda o: o.total, default=True),
        ),
        filters=(
            Filter("customer", _l("Customer"), "id", Order.customer_id),
            Filter("customer_name", _l("Customer name or code"), "text",
                   sa.func.concat(Customer.code, " ", Customer.name)),
            Filter("owner", _l("Owner"), "id", Order.owner_id),
            Filter("currency", _l("Currency"), "choice", Order.currency,
                   tuple((c, c) for c in CURRENCIES)),
            Filter("ordered_from", _l("Ordered from"), "date_from", local_day),
            Filter("ordered_to", _l("Ordered until"), "date_to", local_day),
        ),
        sorts={
            "ordered": (_l("Date"), Order.ordered_at),
            "total": (_l("Total"), Order.total),
        },
        default_sort="-ordered",
    )


def visible_orders_query(user) -> sa.Select:
    """Orders the user may see (record visibility computed in the query, as for quotes)."""
    return (sa.select(Order).join(Customer, Customer.id == Order.customer_id)
            .where(visible_to(user, Order)))
