"""Exporting the filtered order list to CSV or Excel, as the customer and product lists are.

A route on the orders blueprint, permission Sales → Export (orders follow the
quotes' permissions). The file has the orders the list shows with the same
filters, sort and record visibility, one row per order; text that a
spreadsheet would run as a formula is neutralized by the one list export
writer (app/lists/export.py).
"""

from flask import request
from flask_babel import lazy_gettext as _l, to_user_timezone
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.access.permissions import requires
from app.extensions import db
from app.lists.export import export_response, requested_format
from app.lists.spec import Column, apply_filters, sort_of
from app.orders.listing import STATUS_NAMES, order_list, visible_orders_query
from app.orders.models import Order
from app.orders.blueprint import bp

EXPORT_LIMIT = 200_000

COLUMNS = (
    Column("number", _l("Order number"), lambda o: o.number),
    # The day the order was placed where the user is, as the list's date filters count it.
    Column("ordered", _l("Date"), lambda o: to_user_timezone(o.ordered_at).date()),
    Column("customer_code", _l("Customer code"), lambda o: o.customer.code or ""),
    Column("customer", _l("Customer"), lambda o: o.customer.name),
    Column("owner", _l("Owner"), lambda o: o.owner.name if o.owner else ""),
    Column("currency", _l("Currency"), lambda o: o.currency),
    Column("net", _l("Net"), lambda o: o.subtotal),
    Column("tax", _l("Tax"), lambda o: o.tax_amount),
    Column("total", _l("Total"), lambda o: o.total),
    Column("quote", _l("Quote"), lambda o: o.quote.label),
    Column("status", _l("Status"), lambda o: str(STATUS_NAMES.get(o.status, o.status))),
)


@bp.get("/export")
@requires("sales", "export")
def export():
    fmt = requested_format()
    spec = order_list()
    stmt = visible_orders_query(current_user).options(
        selectinload(Order.customer), selectinload(Order.owner), selectinload(Order.quote))
    stmt, _problems, _active = apply_filters(spec, stmt, request.args)
    _key, sort_expr, descending = sort_of(spec, request.args.get("sort"))
    # Ties broken by id in the list's direction, so the file is in the list's order.
    stmt = stmt.order_by(sort_expr.desc() if descending else sort_expr,
                         Order.id.desc() if descending else Order.id)
    return export_response(fmt, "orders", COLUMNS, db.session.scalars(stmt.limit(EXPORT_LIMIT)))
