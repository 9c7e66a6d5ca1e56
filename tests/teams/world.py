"""A tenant with a unit tree and a customer and deal owned by its owner, for the team tests.

HQ → East (region) → Shanghai (store), and West beside East. The owner (all visibility)
owns "Teamed Trading" (code TEAM-1), one contact, one deal and one quote on it.
"""
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import sqlalchemy as sa

from app.auth.models import User
from app.contacts.services import create_contact
from app.customers.services import create_customer
from app.extensions import db
from app.opportunities.services import create_opportunity
from app.org.models import Unit, UnitManager
from app.sales.models import PipelineStage
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, add_user, login, owner_id


@dataclass
class World:
    tenant: object
    owner_id: int
    customer_id: int
    contact_id: int
    deal_id: int
    units: dict

    def path(self, rest: str) -> str:
        return f"/t/{self.tenant.slug}{rest}"


def _unit(name: str, kind: str, parent: Unit | None) -> Unit:
    unit = Unit(name=name, kind=kind, parent_id=parent.id if parent else None)
    db.session.add(unit)
    db.session.flush()
    return unit


def make_world(app, tenant) -> World:
    with app.test_request_context(), tenant_scope(tenant):
        head = _unit("HQ", "head_office", None)
        east = _unit("East", "region", head)
        store = _unit("Shanghai", "store", east)
        west = _unit("West", "region", head)
        owner = owner_id()
        customer = create_customer({"name": "Teamed Trading", "code": "TEAM-1"}, owner)
        contact = create_contact({"name": "Teamed Buyer", "customer_code": "TEAM-1"}, owner)
        first = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).first()
        deal = create_opportunity({"name": "Teamed deal", "customer_id": customer.id,
                                   "amount": D("5000"), "currency": "CNY", "stage_id": first.id,
                                   "probability": None, "expected_close": date(2099, 1, 1)}, owner)
        db.session.commit()
        return World(tenant, owner, customer.id, contact.id, deal.id,
                     {"HQ": head.id, "East": east.id, "Shanghai": store.id, "West": west.id})


def person(app, world: World, role: str = "sales_rep", unit: str | None = None,
           manages: str | None = None):
    """(client logged in, user id) for a new user with the seeded role, in unit (by name)."""
    email = f"{role}-{secrets.token_hex(3)}@{world.tenant.slug}.example"
    unit_id = world.units[unit] if unit else None
    user_id = add_user(app, world.tenant, role, email, unit_id=unit_id)
    if manages:
        with app.app_context(), tenant_scope(world.tenant):
            db.session.add(UnitManager(unit_id=world.units[manages], user_id=user_id))
            db.session.commit()
    client = app.test_client()
    assert login(client, world.tenant, email=email, password=TEST_PASSWORD).status_code == 302
    return client, user_id


def set_owner_unit(app, world: World, unit: str) -> None:
    with app.app_context(), tenant_scope(world.tenant):
        db.session.get(User, world.owner_id).unit_id = world.units[unit]
        db.session.commit()
