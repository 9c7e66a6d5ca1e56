"""A small workspace for the activity tests: a customer with a contact, a deal, an approved
quote, and users of several roles (committed, so page tests see them)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import sqlalchemy as sa

from app.auth.models import User
from app.contacts.services import create_contact
from app.customers.services import create_customer
from app.extensions import db
from app.opportunities.services import create_opportunity
from app.products.services import save_product
from app.quotes import services as quotes, workflow
from app.quotes.services import LineEntry
from app.sales.models import PipelineStage
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, add_user, login


@dataclass
class World:
    customer_id: int
    contact_id: int
    opportunity_id: int
    quote_id: int
    owner_id: int


def first_user_id() -> int:
    return db.session.scalars(sa.select(User.id).order_by(User.id)).first()


def make_world(app, tenant, owner_id: int | None = None, name="连天红家具") -> World:
    with app.test_request_context(), tenant_scope(tenant):
        owner_id = owner_id or first_user_id()
        customer = create_customer({"name": name}, owner_id)
        contact = create_contact({"name": "王小明", "customer_code": customer.code}, owner_id)
        first = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).first()
        deal = create_opportunity({"name": "Sofa deal", "customer_id": customer.id,
                                   "amount": D("5000"), "currency": "CNY", "stage_id": first.id,
                                   "probability": None, "expected_close": date(2099, 1, 1)},
                                  owner_id)
        code = f"SOFA-{customer.id}"
        save_product(None, {"code": code, "name": "Sofa", "tax_rate": D("13"), "cost": None,
                            "list_prices": {"CNY": D("1000.00")}})
        quote = quotes.create_quote({"customer_id": customer.id, "currency": "CNY",
                                     "discount_percent": D("0"),
                                     "valid_until": date(2099, 1, 31)},
                                    [LineEntry(code, D("1"), D("900"))], owner_id)
        workflow.submit(quote, owner_id)  # no approval rules: approved at once
        world = World(customer.id, contact.id, deal.id, quote.id, owner_id)
        db.session.commit()
    return world


def user_client(app, tenant, role_key: str, **fields):
    """(client, user id) of a new user with role_key, logged in."""
    user_id = add_user(app, tenant, role_key, **fields)
    with app.app_context(), tenant_scope(tenant):
        email = db.session.get(User, user_id).email
    client = app.test_client()
    assert login(client, tenant, email=email, password=TEST_PASSWORD).status_code == 302
    return client, user_id


class NotifySpy:
    """Stands in for app.notifications.services.notify: records each call."""

    def __init__(self):
        self.calls = []

    def __call__(self, user_ids, event, message, params, *, subject=None, actor_id=None):
        self.calls.append({"users": sorted(user_ids), "event": event, "message": message,
                           "params": params, "subject": subject, "actor_id": actor_id})

    def to(self, user_id, event=None):
        return [c for c in self.calls
                if user_id in c["users"] and (event is None or c["event"] == event)]
