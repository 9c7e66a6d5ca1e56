"""The side doors of record visibility: a sales rep with "own" visibility reads or links
none of another user's customers, contacts, deals or quotes by naming its id or code."""
import io

import pytest
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.contacts.models import Contact
from app.extensions import db
from app.opportunities.models import Opportunity
from app.quotes.models import Quote
from tenants.context import tenant_scope
from tests.access.hidden import (SECRET_CODE, SECRET_CONTACT, SECRET_EMAIL, SECRET_NAME,
                                 SECRET_PHONE, SECRET_PRICE, make_hidden, rep_client)


@pytest.fixture(scope="module")
def world(app):
    from tests.conftest import make_tenant

    tenant = make_tenant(app, prefix="v")
    hidden, email = make_hidden(app, tenant)
    return tenant, hidden, rep_client(app, tenant, email)


def _count(app, tenant, model) -> int:
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _no_secret(response):
    page = response.get_data(as_text=True)
    for secret in (SECRET_NAME, SECRET_CODE, SECRET_CONTACT, SECRET_EMAIL, SECRET_PHONE):
        assert secret not in page, secret


def test_the_order_list_filtered_by_a_hidden_customer_does_not_name_it(world):
    tenant, hidden, rep = world
    response = rep.get(f"/t/{tenant.slug}/orders/?customer={hidden.customer_id}")
    assert response.status_code == 200
    _no_secret(response)


def test_the_quote_editor_lists_no_contacts_of_a_hidden_customer(world):
    tenant, _hidden, rep = world
    response = rep.get(f"/t/{tenant.slug}/quotes/new?customer_code={SECRET_CODE}")
    assert SECRET_CONTACT not in response.get_data(as_text=True)


def test_line_info_gives_no_price_history_of_a_hidden_customer(world):
    tenant, _hidden, rep = world
    rows = rep.get(f"/t/{tenant.slug}/quotes/line-info?customer={SECRET_CODE}&q=SOFA").get_json()
    assert [row["code"] for row in rows] == ["SOFA-1"]
    # The product's own history (every customer) stays; the hidden customer's is not given.
    assert rows[0]["history"]["customer"] is None
    assert rows[0]["history"]["overall"]["last"] == SECRET_PRICE


def test_the_duplicate_warning_tells_of_a_hidden_customer_without_its_details(world):
    tenant, _hidden, rep = world
    response = rep.post(f"/t/{tenant.slug}/customers/new",
                        data={"name": "Somebody new", "phone": "+8621-55550101"})  # the same number
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "but you cannot see it" in page
    assert 'id="confirm_duplicate"' in page
    _no_secret(response)


def test_no_quote_on_a_hidden_customer_by_its_code(app, world):
    tenant, _hidden, rep = world
    before = _count(app, tenant, Quote)
    response = rep.post(f"/t/{tenant.slug}/quotes/new", data={
        "customer_code": SECRET_CODE, "contact": "0", "currency": "CNY", "valid_until": "2099-01-01",
        "discount_percent": "0", "line_code": "SOFA-1", "line_quantity": "1", "line_price": "",
        "line_discount": ""})
    assert response.status_code == 422
    assert "No customer has this code." in response.get_data(as_text=True)
    assert _count(app, tenant, Quote) == before


def test_no_deal_on_a_hidden_customer_by_its_code(app, world):
    tenant, _hidden, rep = world
    before = _count(app, tenant, Opportunity)
    response = rep.get(f"/t/{tenant.slug}/opportunities/new")
    stage_id = response.get_data(as_text=True).split('name="stage"')[1].split('value="')[1].split('"')[0]
    response = rep.post(f"/t/{tenant.slug}/opportunities/new", data={
        "name": "Poached", "customer_code": SECRET_CODE, "stage": stage_id, "amount": "10",
        "currency": "CNY"})
    assert response.status_code == 422
    assert "No customer has this code." in response.get_data(as_text=True)
    assert _count(app, tenant, Opportunity) == before


def test_no_contact_linked_to_a_hidden_customer_by_its_code(app, world):
    tenant, _hidden, rep = world
    before = _count(app, tenant, Contact)
    response = rep.post(f"/t/{tenant.slug}/contacts/new",
                        data={"name": "Linked", "decision_role": "", "customer_code": SECRET_CODE})
    assert response.status_code == 422
    assert "No customer has this code." in response.get_data(as_text=True)
    assert _count(app, tenant, Contact) == before


def test_a_rep_keeps_the_link_of_their_own_contact_to_a_customer_they_see(app, world):
    tenant, hidden, rep = world
    response = rep.post(f"/t/{tenant.slug}/contacts/{hidden.own_contact_id}/edit",
                        data={"name": "Rep's own contact", "decision_role": "",
                              "customer_code": hidden.own_customer_code})
    assert response.status_code == 302


@pytest.mark.parametrize("owner", ["customer_id", "contact_id", "both"])
def test_no_attachment_on_a_hidden_customer_or_contact(app, world, owner):
    tenant, hidden, rep = world
    form = {"customer_id": hidden.customer_id} if owner == "customer_id" else (
        {"contact_id": hidden.contact_id} if owner == "contact_id" else
        # A customer the rep sees, smuggling in a contact they do not.
        {"customer_id": hidden.own_customer_id, "contact_id": hidden.contact_id})
    before = _count(app, tenant, Attachment)
    response = rep.post(f"/t/{tenant.slug}/attachments/",
                        data={**form, "file": (io.BytesIO(b"%PDF-1.4 x"), "x.pdf")},
                        content_type="multipart/form-data")
    assert response.status_code == 404
    assert _count(app, tenant, Attachment) == before


def test_no_merge_of_a_hidden_customer_into_ones_own(world):
    tenant, hidden, rep = world
    response = rep.get(f"/t/{tenant.slug}/customers/{hidden.own_customer_id}/merge"
                       f"?other={hidden.customer_id}")
    assert response.status_code == 404


def test_no_quote_naming_a_hidden_contact_on_a_customer_one_sees(app, world):
    tenant, hidden, rep = world
    before = _count(app, tenant, Quote)
    response = rep.post(f"/t/{tenant.slug}/quotes/new", data={
        "customer_code": hidden.own_customer_code, "contact": str(hidden.contact_id),
        "currency": "CNY", "valid_until": "2099-01-01", "discount_percent": "0",
        "line_code": "SOFA-1", "line_quantity": "1", "line_price": "", "line_discount": ""})
    assert response.status_code == 422
    assert _count(app, tenant, Quote) == before
