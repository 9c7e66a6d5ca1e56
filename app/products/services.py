"""Catalogue rules: codes, list prices per currency, archiving, price lists, default prices.

Services flush, never commit; the request (or job, or CLI call) commits.
"""
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.products.models import PriceList, PriceListItem, Product
from app.sales.money import round_money
from app.search.builder import matching


class ProductError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def code_taken(code: str, except_id: int | None = None) -> bool:
    query = sa.select(Product.id).where(sa.func.lower(Product.code) == code.lower())
    if except_id is not None:
        query = query.where(Product.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def clean_prices(prices: dict) -> dict:
    """{"CNY": Decimal("12.5")} → {"CNY": "12.50"}; empty prices dropped, negatives refused."""
    cleaned = {}
    for currency, price in prices.items():
        if price in (None, ""):
            continue
        if Decimal(price) < 0:
            raise ProductError(f"price_{currency}", _l("A price cannot be negative."))
        cleaned[currency] = str(round_money(Decimal(price)))
    return cleaned


def save_product(product: Product | None, values: dict) -> Product:
    """Create (product None) or update a product. A missing "cost" key leaves the cost alone
    (a user who may not see costs never sends one)."""
    values = dict(values)
    if code_taken(values["code"], product.id if product else None):
        raise ProductError("code", _l("Another product already has this code."))
    if "list_prices" in values:
        values["list_prices"] = clean_prices(values["list_prices"])
    if product is None:
        product = Product(list_prices={})
        db.session.add(product)
    for name, value in values.items():
        setattr(product, name, value)
    db.session.flush()
    return product


def archive(product: Product) -> None:
    """Hide from new quotes; quotes and orders naming it keep their copy of it."""
    if product.archived_at is None:
        product.archived_at = sa.func.now()
        db.session.flush()


def restore(product: Product) -> None:
    product.archived_at = None
    db.session.flush()


def find_products(query: str, include_archived: bool = False, limit: int = 20) -> list[Product]:
    """By exact code first, then by the search builder (code or name, Chinese works)."""
    query = (query or "").strip()
    base = sa.select(Product)
    if not include_archived:
        base = base.where(Product.archived_at.is_(None))
    if not query:
        return list(db.session.scalars(base.order_by(Product.code).limit(limit)))
    exact = db.session.scalars(base.where(sa.func.lower(Product.code) == query.lower())).all()
    found = matching(Product, query)
    rest = [] if found is None else db.session.scalars(
        base.where(found[0]).order_by(found[1].desc(), Product.code).limit(limit)).all()
    return list(dict.fromkeys([*exact, *rest]))[:limit]


def products_query(query: str, include_archived: bool = False) -> sa.Select:
    """Every product the list's search finds (by code or name), by code: what the export writes."""
    query = (query or "").strip()
    stmt = sa.select(Product)
    if not include_archived:
        stmt = stmt.where(Product.archived_at.is_(None))
    if query:
        exact = sa.func.lower(Product.code) == query.lower()
        found = matching(Product, query)
        stmt = stmt.where(exact if found is None else sa.or_(exact, found[0]))
    return stmt.order_by(Product.code, Product.id)


def price_list_for(tier: str | None, currency: str) -> PriceList | None:
    if not tier:
        return None
    return db.session.scalar(
        sa.select(PriceList).where(PriceList.tier == tier, PriceList.currency == currency))


def default_price(product: Product, tier: str | None, currency: str) -> Decimal | None:
    """The customer's price: their tier's price list in this currency, else the list price."""
    price_list = price_list_for(tier, currency)
    if price_list is not None:
        item = db.session.get(PriceListItem, (price_list.id, product.id))
        if item is not None:
            return item.price
    return product.list_price(currency)


def save_price_list(price_list: PriceList | None, name: str, currency: str,
                    tier: str | None) -> PriceList:
    taken = db.session.scalar(sa.select(PriceList.id).where(
        PriceList.tier == tier, PriceList.currency == currency,
        PriceList.id != (price_list.id if price_list else 0))) if tier else None
    if taken is not None:
        raise ProductError("tier", _l("Another price list already serves this tier in this currency."))
    if price_list is None:
        price_list = PriceList()
        db.session.add(price_list)
    price_list.name, price_list.currency, price_list.tier = name.strip(), currency, tier
    db.session.flush()
    return price_list


def set_item(price_list: PriceList, code: str, price: Decimal) -> PriceListItem:
    product = db.session.scalar(sa.select(Product).where(sa.func.lower(Product.code) == code.lower()))
    if product is None:
        raise ProductError("code", _l("No product has this code."))
    if price < 0:
        raise ProductError("price", _l("A price cannot be negative."))
    item = db.session.get(PriceListItem, (price_list.id, product.id))
    if item is None:
        item = PriceListItem(price_list_id=price_list.id, product_id=product.id)
        db.session.add(item)
    item.price = round_money(price)
    db.session.flush()
    return item


def items_of(price_list: PriceList) -> list[tuple[PriceListItem, Product]]:
    return list(db.session.execute(
        sa.select(PriceListItem, Product).join(Product, Product.id == PriceListItem.product_id)
        .where(PriceListItem.price_list_id == price_list.id).order_by(Product.code)).all())
