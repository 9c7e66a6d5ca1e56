"""Small factories of the sales tests (the `scope` fixture and `owner_id` live in tests/conftest.py)."""
from decimal import Decimal

import sqlalchemy as sa

from app.customers.services import create_customer
from app.extensions import db
from app.products.services import save_product
from app.sales.models import PipelineStage
from tests.conftest import owner_id  # noqa: F401  (imported from here by the tests)


def stage(outcome_or_position) -> PipelineStage:
    query = sa.select(PipelineStage)
    if isinstance(outcome_or_position, int):
        query = query.where(PipelineStage.position == outcome_or_position)
    else:
        query = query.where(PipelineStage.outcome == outcome_or_position)
    return db.session.scalars(query.order_by(PipelineStage.position)).first()


def customer(name="连天红家具", tier=None, **values):
    return create_customer({"name": name, "tier": tier, **values}, owner_id())


def product(code="SOFA-1", name="真皮沙发", price="1000.00", tax="13", cost=None, **extra):
    return save_product(None, {"code": code, "name": name, "tax_rate": Decimal(tax),
                               "cost": None if cost is None else Decimal(cost),
                               "list_prices": {"CNY": Decimal(price)} if price else {}, **extra})
