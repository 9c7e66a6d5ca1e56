"""More state-changing routes driven for real (products, price lists, rates, rules, editors).

As in test_workspace_writes.py: the least powerful seeded role allowed, then the
effect. Forms are read from their page (tests/forms.py), one field changed, posted.
"""
from decimal import Decimal as D

import sqlalchemy as sa

from app.approvals.models import ApprovalRule
from app.extensions import db
from app.forecast.models import ExchangeRate
from app.products.models import PriceList, PriceListItem, Product
from tenants.context import tenant_scope
from tests.forms import form_values
from tests.test_workspace_writes import _client_of, _in, _read, _sent_quote


def _product(code="TEA-9", price="50.00"):
    from app.products.services import save_product
    return save_product(None, {"code": code, "name": "Pu-erh", "tax_rate": D("13"), "cost": None,
                               "list_prices": {"CNY": D(price)}}).id


def test_a_manager_archives_and_restores_a_product(app, tenant):
    client, _id = _client_of(app, tenant, "sales_manager")
    with _in(app, tenant):
        product_id = _product()
    base = f"/t/{tenant.slug}/products"
    assert client.post(f"{base}/{product_id}/archive").status_code == 302
    assert _read(app, tenant, Product, product_id).archived_at is not None
    assert f"/products/{product_id}\"" not in client.get(f"{base}/").get_data(as_text=True)
    assert client.post(f"{base}/{product_id}/restore").status_code == 302
    assert _read(app, tenant, Product, product_id).archived_at is None
    assert f"/products/{product_id}\"" in client.get(f"{base}/").get_data(as_text=True)


def test_a_manager_builds_a_price_list_sets_and_removes_a_price(app, tenant):
    client, _id = _client_of(app, tenant, "sales_manager")
    with _in(app, tenant):
        product_id = _product()
    base = f"/t/{tenant.slug}/products/price-lists"
    created = client.post(f"{base}/new", data={"name": "Dealers", "currency": "CNY", "tier": ""})
    assert created.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        list_id = db.session.scalars(sa.select(PriceList.id).where(PriceList.name == "Dealers")).one()
    assert client.post(f"{base}/{list_id}", data={"code": "TEA-9", "price": "42.50"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(PriceListItem, (list_id, product_id)).price == D("42.50")
    assert client.post(f"{base}/{list_id}/items/{product_id}/remove").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(PriceListItem, (list_id, product_id)) is None


def test_an_admin_sets_and_removes_an_exchange_rate(app, tenant):
    client, _id = _client_of(app, tenant, "admin")
    base = f"/t/{tenant.slug}/forecast/rates"
    assert client.post(base, data={"currency": "USD", "rate": "7.1234"}).status_code == 302
    assert "7.1234" in client.get(base).get_data(as_text=True)
    assert _read(app, tenant, ExchangeRate, "USD").rate == D("7.1234")
    assert client.post(f"{base}/USD/remove").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(ExchangeRate, "USD") is None


def test_an_admin_adds_and_changes_an_approval_rule(app, tenant):
    client, _id = _client_of(app, tenant, "admin")
    base = f"/t/{tenant.slug}/approvals/rules"
    values = form_values(client.get(base).get_data(as_text=True), "threshold")
    values.update(threshold="15", approver="unit_manager", active="y")  # a discount over 15 %
    assert client.post(base, data=values).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        rule_id = db.session.scalars(sa.select(ApprovalRule.id)).one()
    values = form_values(client.get(f"{base}/{rule_id}").get_data(as_text=True), "threshold")
    values.update(threshold="20.50")
    assert client.post(f"{base}/{rule_id}", data=values).status_code == 302
    assert _read(app, tenant, ApprovalRule, rule_id).threshold == D("20.50")


def test_a_rep_edits_a_quote_and_a_sent_one_becomes_a_new_version(app, tenant):
    from app.quotes.models import Quote

    client, rep_id = _client_of(app, tenant, "sales_rep")
    quote_id = _sent_quote(app, tenant, rep_id)
    edit = f"/t/{tenant.slug}/quotes/{quote_id}/edit"
    values = form_values(client.get(edit).get_data(as_text=True), "discount_percent")
    values.update(discount_percent="10", line_code="TEA-1", line_quantity="4")
    response = client.post(edit, data=values)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    old = _read(app, tenant, Quote, quote_id)
    with app.app_context(), tenant_scope(tenant):
        new = db.session.scalars(sa.select(Quote).where(Quote.number == old.number, Quote.is_current)).one()
        # 4 × 88.00 = 352.00, 10 % off = 316.80, 13 % tax = 41.18 (41.184)
        assert (new.version, new.subtotal, new.discount_amount, new.total) == (
            2, D("352.00"), D("35.20"), D("316.80") + D("41.18"))
    assert old.total == D("298.32")  # 3 × 88.00 + 13 % tax, unchanged


def test_a_rep_edits_a_competitor(app, tenant):
    from app.competitors.models import Competitor
    from app.competitors.services import save_competitor

    client, _id = _client_of(app, tenant, "sales_rep")
    with _in(app, tenant):
        competitor_id = save_competitor(None, {"name": "Rival Tea"}).id
    edit = f"/t/{tenant.slug}/competitors/{competitor_id}/edit"
    values = form_values(client.get(edit).get_data(as_text=True), "name")
    values.update(name="Rival Tea Group")
    assert client.post(edit, data=values).status_code == 302
    assert _read(app, tenant, Competitor, competitor_id).name == "Rival Tea Group"


def test_an_admin_relabels_a_custom_field(app, tenant):
    from app.customfields.models import CustomField
    from app.customfields.services import define

    client, _id = _client_of(app, tenant, "admin")
    with _in(app, tenant):
        field_id = define("customers", "region_code", "Region code", "text").id
    edit = f"/t/{tenant.slug}/admin/fields/{field_id}"
    values = form_values(client.get(edit).get_data(as_text=True), "label")
    values.update(label="Sales region")
    assert client.post(edit, data=values).status_code == 302
    assert _read(app, tenant, CustomField, field_id).label == "Sales region"
