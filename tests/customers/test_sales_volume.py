"""Item: sales volume comes from orders (last 12 months, in the workspace currency) plus an
importable history figure; customers with no data stay untiered; credit_record is kept."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

import sqlalchemy as sa

from app.customers.models import Customer
from app.extensions import db
from app.forecast.rates import set_rate
from app.quotes.services import LineEntry
from tenants.context import tenant_scope
from tests.imports.conftest import run_import
from tests.sales.conftest import customer, product
from tests.sales.test_orders import accepted_order


def _volumes_and_tiers(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return {name: (volume, tier) for name, volume, tier in db.session.execute(
            sa.select(Customer.name, Customer.sales_volume, Customer.tier))}


def test_the_nightly_job_ranks_customers_by_orders_and_history(app, tenant):
    now = datetime.now(timezone.utc)
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", price="1000")
        set_rate("USD", D("7.2"))
        recent, dollars = customer("近期客户"), customer("美元客户")
        accepted_order(recent, LineEntry("SOFA-1", D("2")), ordered_at=now - timedelta(days=60))
        accepted_order(recent, LineEntry("SOFA-1", D("9")), ordered_at=now - timedelta(days=500))
        accepted_order(dollars, LineEntry("SOFA-1", D("1"), D("100")), currency="USD",
                       ordered_at=now - timedelta(days=10))
        customer("没有数据")
        job = run_import("客户名称,年销售额,信用记录\n老客户,300,2023 年逾期两次\n".encode())
        assert job.status == "done", job.errors
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["customers", "tiers", tenant.slug])
    assert result.exit_code == 0, result.output
    found = _volumes_and_tiers(app, tenant)
    assert found["近期客户"] == (D("2000.00"), "A")     # the order from 500 days ago is left out
    assert found["美元客户"][0] == D("720.00")          # 100 USD at 7.2
    assert found["老客户"][0] == D("300.00")
    assert found["没有数据"] == (D("0.00"), None)        # no data: no tier, no dealer prices
    with app.app_context(), tenant_scope(tenant):
        old = db.session.scalars(sa.select(Customer).where(Customer.name == "老客户")).one()
        assert old.credit_record == "2023 年逾期两次" and old.sales_history == D("300.00")


def test_an_imported_history_figure_tiers_customers_at_once_and_zeros_stay_untiered(scope):
    rows = "".join(f"客户{i},{i * 100 if i else ''}\n" for i in range(11))
    job = run_import(("客户名称,年销售额\n" + rows).encode())
    assert job.status == "done", job.errors
    tiers = dict(db.session.execute(sa.select(Customer.name, Customer.tier)).all())
    assert tiers["客户10"] == "A" and tiers["客户1"] == "C" and tiers["客户0"] is None


def test_credit_record_and_history_are_on_the_form_and_the_page(owner_client, tenant):
    base = f"/t/{tenant.slug}/customers"
    created = owner_client.post(f"{base}/new", data={
        "name": "信用客户", "kind": "company", "type": "customer", "currency": "CNY",
        "credit_record": "按时付款", "sales_history": "1234.50"})
    assert created.status_code == 302
    page = owner_client.get(created.location).get_data(as_text=True)
    assert "按时付款" in page and "1234.50" in page
    edit = owner_client.get(created.location + "/edit").get_data(as_text=True)
    assert 'name="credit_record"' in edit and 'name="sales_history"' in edit
