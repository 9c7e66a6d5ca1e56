"""The product list's columns, filters and sorts (app/lists: keyset pages, saved views).

The search box is the search builder's (code or name, Chinese included), applied
by app.lists.spec.apply_filters as on every list.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.lists.spec import Column, Filter, ListSpec
from app.products.models import Product

PRODUCT_LIST = ListSpec(
    model=Product,
    columns=(
        Column("code", _l("Code"), lambda p: p.code, default=True),
        Column("name", _l("Name"), lambda p: p.name, default=True),
        Column("category", _l("Category"), lambda p: p.category or "", default=True),
        Column("unit", _l("Unit of sale"), lambda p: p.unit or "", default=True),
    ),
    filters=(Filter("category", _l("Category"), "text", Product.category),),
    sorts={"code": (_l("Code"), Product.code), "name": (_l("Name"), Product.name)},
    default_sort="code",
)


def product_list_query(include_archived: bool) -> sa.Select:
    stmt = sa.select(Product)
    return stmt if include_archived else stmt.where(Product.archived_at.is_(None))
