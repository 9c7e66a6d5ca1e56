"""State-changing routes the permission matrix only probed, driven for real by a role that may.

Each test posts as the least powerful seeded role allowed to, then checks the
effect a user would see (the page, the record). tests/exercised.py names these
tests for their routes.
"""
from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from app.orders.models import Order
from app.quotes.models import Quote
from app.timeline.models import TimelineEntry
from tenants.context import tenant_scope
from tests.conftest import add_user, login
from tests.forms import form_values


def _client_of(app, tenant, role_key):
    email = f"{role_key}@{tenant.slug}.example"
    user_id = add_user(app, tenant, role_key, email)
    client = app.test_client()
    assert login(client, tenant, email=email).status_code == 302
    return client, user_id


def _in(app, tenant):
    class Scope:
        def __enter__(self):
            self.ctx = app.test_request_context()
            self.ctx.__enter__()
            self.scope = tenant_scope(tenant)
            self.scope.__enter__()

        def __exit__(self, *exc):
            db.session.commit() if exc[0] is None else db.session.rollback()
            self.scope.__exit__(*exc)
            self.ctx.__exit__(*exc)
    return Scope()


def _customer(name, owner_id, **values):
    from app.customers.services import create_customer
    return create_customer({"name": name, **values}, owner_id)


def _read(app, tenant, model, record_id):
    with app.app_context(), tenant_scope(tenant):
        record = db.session.get(model, record_id)
        db.session.expunge(record)
        return record


@pytest.fixture
def rep(app, tenant):
    """A sales rep (customers, contacts and sales: view, create, edit) and their client."""
    return _client_of(app, tenant, "sales_rep")


def test_a_rep_edits_their_customer(app, tenant, rep):
    client, rep_id = rep
    with _in(app, tenant):
        customer_id = _customer("Harbour Tea", rep_id).id
    base = f"/t/{tenant.slug}/customers/{customer_id}"
    values = form_values(client.get(f"{base}/edit").get_data(as_text=True), "name")
    values.update(name="Harbour Tea Trading", phone="+86 21 5555 0101")
    response = client.post(f"{base}/edit", data=values)
    assert response.status_code == 302
    assert "Harbour Tea Trading" in client.get(base).get_data(as_text=True)
    saved = _read(app, tenant, Customer, customer_id)
    assert (saved.name, saved.phone_e164) == ("Harbour Tea Trading", "+862155550101")


def test_a_manager_deletes_a_customer_and_it_leaves_the_list(app, tenant):
    client, manager_id = _client_of(app, tenant, "sales_manager")
    with _in(app, tenant):
        customer_id = _customer("Gone Ltd", manager_id).id
    assert f"/customers/{customer_id}\"" in client.get(f"/t/{tenant.slug}/customers/").get_data(as_text=True)
    assert client.post(f"/t/{tenant.slug}/customers/{customer_id}/delete").status_code == 302
    listing = client.get(f"/t/{tenant.slug}/customers/").get_data(as_text=True)
    assert f"/customers/{customer_id}\"" not in listing
    assert _read(app, tenant, Customer, customer_id).deleted_at is not None


def test_a_rep_merges_a_duplicate_and_its_contacts_follow(app, tenant, rep):
    client, rep_id = rep
    with _in(app, tenant):
        keep = _customer("Lantern House", rep_id).id
        duplicate = _customer("Lantern House Co", rep_id, email="buy@lantern.example").id
        db.session.add(Contact(name="Ms Lin", customer_id=duplicate, owner_id=rep_id, custom={}))
    response = client.post(f"/t/{tenant.slug}/customers/{keep}/merge?other={duplicate}")
    assert response.status_code == 302
    page = client.get(f"/t/{tenant.slug}/customers/{keep}").get_data(as_text=True)
    assert "Ms Lin" in page and "buy@lantern.example" in page
    gone = _read(app, tenant, Customer, duplicate)
    assert gone.merged_into_id == keep and gone.deleted_at is not None


def test_a_service_agent_edits_a_contact_a_manager_deletes_one(app, tenant):
    agent, agent_id = _client_of(app, tenant, "service_agent")  # contacts: view, edit
    manager, manager_id = _client_of(app, tenant, "sales_manager")
    with _in(app, tenant):
        mine = Contact(name="Mr Wu", owner_id=agent_id, custom={})
        theirs = Contact(name="Mrs Zhao", owner_id=manager_id, custom={})
        db.session.add_all([mine, theirs])
        db.session.flush()
        mine_id, theirs_id = mine.id, theirs.id
    base = f"/t/{tenant.slug}/contacts/{mine_id}"
    values = form_values(agent.get(f"{base}/edit").get_data(as_text=True), "name")
    values.update(title="Buyer", email="wu@buyer.example")
    assert agent.post(f"{base}/edit", data=values).status_code == 302
    assert "wu@buyer.example" in agent.get(base).get_data(as_text=True)
    assert (_read(app, tenant, Contact, mine_id).title) == "Buyer"

    before = manager.get(f"/t/{tenant.slug}/contacts/").get_data(as_text=True)
    assert f"/contacts/{theirs_id}\"" in before
    assert manager.post(f"/t/{tenant.slug}/contacts/{theirs_id}/delete").status_code == 302
    listing = manager.get(f"/t/{tenant.slug}/contacts/").get_data(as_text=True)
    assert f"/contacts/{theirs_id}\"" not in listing
    assert _read(app, tenant, Contact, theirs_id).deleted_at is not None


def _sent_quote(app, tenant, rep_id) -> int:
    """A quote of the rep's, sent to the customer (so it can be accepted, rejected or revised)."""
    from app.products.services import save_product
    from app.quotes import services
    from app.quotes.services import LineEntry

    with _in(app, tenant):
        save_product(None, {"code": "TEA-1", "name": "Oolong", "tax_rate": D("13"), "cost": None,
                            "list_prices": {"CNY": D("88.00")}})
        customer = _customer("Tea Buyer", rep_id)
        quote = services.create_quote({"customer_id": customer.id, "currency": "CNY",
                                       "discount_percent": D("0"), "valid_until": date(2099, 1, 31),
                                       "terms": ""}, [LineEntry("TEA-1", D("3"))], rep_id)
        quote.status = "sent"
        return quote.id


def test_a_rep_marks_a_quote_accepted_and_an_order_is_made(app, tenant, rep):
    client, rep_id = rep
    quote_id = _sent_quote(app, tenant, rep_id)
    response = client.post(f"/t/{tenant.slug}/quotes/{quote_id}/accept")
    assert response.status_code == 302
    assert "order" in client.get(response.location).get_data(as_text=True).lower()
    assert _read(app, tenant, Quote, quote_id).status == "accepted"
    with app.app_context(), tenant_scope(tenant):
        orders = db.session.scalars(sa.select(Order)).all()
        assert len(orders) == 1 and orders[0].total == _read(app, tenant, Quote, quote_id).total


def test_a_rep_marks_a_quote_rejected_with_the_reason_on_the_timeline(app, tenant, rep):
    client, rep_id = rep
    quote_id = _sent_quote(app, tenant, rep_id)
    response = client.post(f"/t/{tenant.slug}/quotes/{quote_id}/reject", data={"reason": "Too dear"})
    assert response.status_code == 302
    assert _read(app, tenant, Quote, quote_id).status == "rejected"
    with app.app_context(), tenant_scope(tenant):
        bodies = db.session.scalars(sa.select(TimelineEntry.body).where(
            TimelineEntry.ref_type == "quote", TimelineEntry.ref_id == quote_id)).all()
        assert "Too dear" in bodies


def test_a_rep_revises_a_sent_quote_into_a_new_draft_version(app, tenant, rep):
    client, rep_id = rep
    quote_id = _sent_quote(app, tenant, rep_id)
    response = client.post(f"/t/{tenant.slug}/quotes/{quote_id}/revise")
    assert response.status_code == 302 and response.location.endswith("/edit")
    old = _read(app, tenant, Quote, quote_id)
    with app.app_context(), tenant_scope(tenant):
        new = db.session.scalars(sa.select(Quote).where(Quote.number == old.number, Quote.version == 2)).one()
        assert (new.status, new.is_current, new.total) == ("draft", True, old.total)
    assert (old.status, old.is_current) == ("sent", False)
