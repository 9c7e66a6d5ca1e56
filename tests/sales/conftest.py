"""Fixtures of the sales tests: a tenant scope with a request context, and small factories."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.customers.services import create_customer
from app.extensions import db
from app.products.services import save_product
from app.sales.models import PipelineStage
from tenants.context import tenant_scope


@pytest.fixture
def scope(app, tenant):
    """Inside the tenant, with a request context (services use url_for, audit and mail)."""
    with app.test_request_context(), tenant_scope(tenant):
        yield tenant
        db.session.rollback()


def owner_id() -> int:
    return db.session.scalars(sa.select(User.id).order_by(User.id)).first()


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
