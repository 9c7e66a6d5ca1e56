"""Products: codes, prices per currency and per tier, search in Chinese, import, costs hidden."""
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.imports import pipeline, services as imports
from app.imports.models import ImportJob
from app.imports.targets import TARGETS
from app.products import services
from app.products.models import Product
from tests.conftest import client_as
from tests.sales.conftest import owner_id, product


def test_codes_are_unique_whatever_the_case(scope):
    product("SOFA-1")
    with pytest.raises(services.ProductError) as caught:
        product("sofa-1")
    assert caught.value.field == "code"


def test_negative_list_prices_are_refused(scope):
    with pytest.raises(services.ProductError):
        product("X1", price="-1")


def test_products_are_found_by_code_or_chinese_name_simplified_or_traditional(scope):
    product("SOFA-1", "真皮沙发 三人位")
    product("TBL-9", "实木餐桌")
    codes = lambda q: [p.code for p in services.find_products(q)]  # noqa: E731
    assert codes("沙发") == ["SOFA-1"]
    assert codes("餐桌") == ["TBL-9"]
    assert codes("實木") == ["TBL-9"]          # Traditional finds Simplified
    assert codes("tbl-9") == ["TBL-9"]         # the exact code first
    assert codes("sofa") == ["SOFA-1"]


def test_the_customer_tier_price_list_gives_the_default_price(scope):
    sofa = product("SOFA-1", price="1000.00")
    dealer = services.save_price_list(None, "Dealer", "CNY", "A")
    services.set_item(dealer, "sofa-1", D("800"))
    assert services.default_price(sofa, "A", "CNY") == D("800.00")
    assert services.default_price(sofa, "B", "CNY") == D("1000.00")   # no list for B: list price
    assert services.default_price(sofa, "A", "USD") is None            # no price in USD at all
    with pytest.raises(services.ProductError):
        services.save_price_list(None, "Dealer 2", "CNY", "A")        # one list per tier+currency


def test_archived_products_leave_new_searches_but_stay_found_when_asked(scope):
    sofa = product("SOFA-1")
    services.archive(sofa)
    assert services.find_products("SOFA-1") == []
    assert services.find_products("SOFA-1", include_archived=True) == [sofa]
    assert db.session.get(Product, sofa.id) is not None  # never deleted


def test_products_import_with_chinese_headers_creates_then_updates(scope):
    def run(data: bytes, policy="skip"):
        job = imports.stage_upload("products", "p.csv", data, owner_id())
        headers, _ = imports.table_of(job)
        imports.start(job, pipeline.suggest_mapping(TARGETS["products"], headers, None), policy,
                      owner_id())
        return db.session.get(ImportJob, job.id)

    job = run("产品编号,品名,单位,单价,币种,税率\nP1,实木餐桌,张,1200,CNY,13\nP2,餐椅,把,300.5,CNY,13\n"
              .encode("gbk"))
    assert (job.status, job.created_count) == ("done", 2)
    job = run("产品编号,品名,单价,币种\nP1,实木餐桌,180,USD\n".encode(), policy="update")
    assert (job.status, job.updated_count) == ("done", 1)
    table = db.session.scalars(sa.select(Product).where(Product.code == "P1")).one()
    assert table.list_prices == {"CNY": "1200.00", "USD": "180.00"}  # prices merge per currency
    assert [p.code for p in services.find_products("餐椅")] == ["P2"]
    bad = run(b"code,name,price\nP3,Chair,-5\n")
    assert bad.status == "invalid"


def test_cost_is_shown_and_editable_only_with_the_margins_permission(app, tenant):
    manager, rep = client_as(app, tenant, "sales_manager"), client_as(app, tenant, "sales_rep")
    created = manager.post(f"/t/{tenant.slug}/products/new", data={
        "code": "SOFA-1", "name": "沙发", "tax_rate": "13", "cost": "420.00",
        "price_CNY": "1000"})
    assert created.status_code == 302
    page = manager.get(created.location).get_data(as_text=True)
    assert 'data-testid="cost"' in page and "420.00" in page
    rep_page = rep.get(created.location).get_data(as_text=True)
    assert 'data-testid="cost"' not in rep_page and "420.00" not in rep_page
    assert rep.post(f"/t/{tenant.slug}/products/new", data={"code": "X"}).status_code == 403


def test_bad_product_input_gets_the_form_back_with_422(app, tenant, owner_client):
    response = owner_client.post(f"/t/{tenant.slug}/products/new", data={
        "code": "X1", "name": "X", "tax_rate": "130", "price_CNY": "-3"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Between 0 and 100." in text and "Must be zero or more." in text
