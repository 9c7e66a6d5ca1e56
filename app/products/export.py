"""Exporting the (searched) product list to CSV or Excel, as the customer list is exported.

Routes on the products blueprint. The cost column is written only for roles
that may see margins; text that a spreadsheet would run as a formula is
neutralized by the one list export writer (app/lists/export.py).
"""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.access.permissions import can, requires
from app.customers.forms import CURRENCIES
from app.extensions import db
from app.lists.export import export_response, requested_format
from app.lists.spec import Column
from app.products.services import products_query
from app.products.blueprint import bp

EXPORT_LIMIT = 200_000

COLUMNS = (
    Column("code", _l("Product code"), lambda p: p.code),
    Column("name", _l("Name"), lambda p: p.name),
    Column("category", _l("Category"), lambda p: p.category or ""),
    Column("unit", _l("Unit of sale"), lambda p: p.unit or ""),
    Column("description", _l("Description"), lambda p: p.description or ""),
    Column("tax_rate", _l("Tax rate (%)"), lambda p: p.tax_rate),
    *(Column(f"price_{c}", _l("List price in %(currency)s", currency=c),
             lambda p, c=c: p.list_price(c)) for c in CURRENCIES),
    Column("archived", _l("Archived on"),
           lambda p: p.archived_at.date() if p.archived_at else None),
)
COST = Column("cost", _l("Cost"), lambda p: p.cost)


def export_columns(with_cost: bool) -> list[Column]:
    columns = list(COLUMNS)
    if with_cost:
        columns.insert(6, COST)  # after the tax rate, before the prices
    return columns


@bp.get("/export")
@requires("products", "export")
def export():
    fmt = requested_format()
    with_cost = can(current_user, "margins", "view")
    stmt = products_query(request.args.get("q", ""), request.args.get("archived") == "1")
    return export_response(fmt, "products", export_columns(with_cost),
                           db.session.scalars(stmt.limit(EXPORT_LIMIT)), cost=with_cost)
