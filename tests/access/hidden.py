"""A tenant where the owner holds one of every owned record and a sales rep ("own"
visibility) holds a customer and a contact of their own: the rep must not reach the
owner's records by id or code (tests/access/test_matrix.py, test_hidden_records.py)."""
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal as D

import sqlalchemy as sa

from app.attachments.services import attach
from app.auth.models import User
from app.contacts.services import create_contact
from app.customers.services import create_customer
from app.extensions import db
from app.opportunities.services import create_opportunity
from app.products.services import save_product
from app.quotes import services as quotes, workflow
from app.quotes.services import LineEntry
from app.sales.models import PipelineStage
from app.tasks.services import TaskInput, create_task
from tenants.context import tenant_scope
from tests.conftest import add_user, login

SECRET_NAME = "Hidden Buyer Ltd"
SECRET_CODE = "HID-1"
SECRET_PHONE = "+86 21 5555 0101"
SECRET_EMAIL = "buyer@hidden.example"
SECRET_CONTACT = "Contact Nobody-Sees"
SECRET_PRICE = "777.00"


@dataclass
class Hidden:
    """Ids of the owner's records, and of the rep's own customer and contact."""
    customer_id: int
    contact_id: int
    opportunity_id: int
    quote_id: int
    order_id: int
    attachment_id: int
    task_id: int
    own_customer_id: int
    own_contact_id: int
    own_customer_code: str


def _owner_records(owner_id: int) -> dict:
    customer = create_customer({"name": SECRET_NAME, "code": SECRET_CODE, "phone": SECRET_PHONE,
                                "phone_e164": "+862155550101", "email": SECRET_EMAIL}, owner_id)
    contact = create_contact({"name": SECRET_CONTACT, "customer_code": SECRET_CODE}, owner_id)
    save_product(None, {"code": "SOFA-1", "name": "Sofa", "tax_rate": D("13"), "cost": None,
                        "list_prices": {"CNY": D("1000.00")}})
    first = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).first()
    deal = create_opportunity({"name": "Secret deal", "customer_id": customer.id,
                               "amount": D("5000"), "currency": "CNY", "stage_id": first.id,
                               "probability": None, "expected_close": date(2099, 1, 1)},
                              owner_id)
    entry = LineEntry("SOFA-1", D("1"), D(SECRET_PRICE))
    quote = quotes.create_quote({"customer_id": customer.id, "currency": "CNY",
                                 "discount_percent": D("0"), "valid_until": date(2099, 1, 31)},
                                [entry], owner_id)
    for line in quote.lines:  # a price the customer was given: it is in the price history
        line.quoted_at = datetime.now(timezone.utc)
    ordered = quotes.create_quote({"customer_id": customer.id, "currency": "CNY",
                                   "discount_percent": D("0"), "valid_until": date(2099, 1, 31)},
                                  [entry], owner_id)
    workflow.submit(ordered, owner_id)
    order = workflow.accept(ordered, owner_id)
    file = attach(b"%PDF-1.4 secret", "contract.pdf", customer_id=customer.id, user_id=owner_id)
    task = create_task(TaskInput("Call the hidden buyer", owner_id, "UTC",
                                 related=("customer", customer)), owner_id)
    return {"task_id": task.id, "customer_id": customer.id, "contact_id": contact.id, "opportunity_id": deal.id,
            "quote_id": quote.id, "order_id": order.id, "attachment_id": file.id}


def make_hidden(app, tenant) -> tuple[Hidden, str]:
    """The records, and the e-mail the rep logs in with."""
    rep_email = f"rep-{tenant.slug}@{tenant.slug}.example"
    rep_id = add_user(app, tenant, "sales_rep", rep_email, name="Rep Own")
    with app.test_request_context(), tenant_scope(tenant):
        owner_id = db.session.scalars(sa.select(User.id).order_by(User.id)).first()
        ids = _owner_records(owner_id)
        mine = create_customer({"name": "Rep's own buyer"}, rep_id)
        my_contact = create_contact({"name": "Rep's own contact"}, rep_id)
        hidden = Hidden(**ids, own_customer_id=mine.id, own_contact_id=my_contact.id,
                        own_customer_code=mine.code)
        db.session.commit()
    return hidden, rep_email


def rep_client(app, tenant, email):
    client = app.test_client()
    assert login(client, tenant, email=email).status_code == 302
    return client
