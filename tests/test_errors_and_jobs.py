"""Unexpected errors become a plain page; background jobs run inline without Redis."""
from datetime import timedelta

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from tenants.models import Tenant


def test_an_unexpected_error_shows_a_page_and_no_stack_trace(app, database_url):
    crashing = create_app({**app.config, "TESTING": False,
                           "SQLALCHEMY_DATABASE_URI": database_url})

    @crashing.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = crashing.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_enqueue_without_redis_runs_the_pool_refill_now(app):
    from app.jobs import enqueue
    from tenants.provisioning import pooled_count

    with app.app_context():
        target = pooled_count() + 2
        app.config["TENANT_POOL_TARGET"] = target
        try:
            enqueue("tenants.provisioning.refill_pool")
            assert pooled_count() == target
        finally:
            app.config["TENANT_POOL_TARGET"] = 0
        statuses = db.session.scalars(sa.select(Tenant.status).where(Tenant.status == "pooled"))
        assert len(list(statuses)) == target


def test_the_demo_workspace_has_stores_customers_sales_data_and_logins(app):
    from app.customers.models import Customer
    from app.demo import DEMO_PASSWORD, ensure_demo
    from tenants.context import tenant_scope
    from tests.conftest import login

    with app.app_context():
        logins = ensure_demo()
        again = ensure_demo()  # idempotent: a second `make run` reuses what is there
        assert logins == again and len(logins) == 5
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "demo")).one()
        with tenant_scope(tenant):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 6
    client = app.test_client()
    assert login(client, tenant, "rep@demo.example", DEMO_PASSWORD).status_code == 302
    page = client.get("/t/demo/customers/").get_data(as_text=True)
    import re

    shown = set(re.findall(r'href="/t/demo/customers/(\d+)"', page))
    assert len(shown) == 3  # a sales rep sees only the customers they own
    # The rep's day has tasks, one overdue, and a reminder due minutes after `make run`.
    tasks = client.get("/t/demo/tasks/?scope=mine&status=open").get_data(as_text=True)
    assert "给连天红回电话确认交期" in tasks and "发送新品目录给美居" in tasks
    with app.app_context(), tenant_scope(tenant):
        from app.tasks.models import Task
        reminder = db.session.execute(sa.select(Task.remind_at, Task.created_at).where(
            Task.remind_at.is_not(None))).one()
        assert timedelta(0) < reminder.remind_at - reminder.created_at < timedelta(minutes=10)

    # The sales module is not empty: the admin sees deals, forecast figures, quotes, an order.
    admin = app.test_client()
    assert login(admin, tenant, "admin@demo.example", DEMO_PASSWORD).status_code == 302
    board = admin.get("/t/demo/opportunities/").get_data(as_text=True)
    for deal in ("金陵酒店客房家具更新", "美居样板间软装项目", "南京路旗舰店沙发换新",
                 "连天红总部办公椅批量采购", "美居办公区家具"):  # qualify … negotiation, won, lost
        assert deal in board
    products = admin.get("/t/demo/products/").get_data(as_text=True)
    assert "SOFA-01" in products and "真皮三人沙发" in products
    forecast = admin.get("/t/demo/forecast/")
    figures = forecast.get_data(as_text=True)
    assert forecast.status_code == 200  # USD deals have an exchange rate
    # Open deals close within the next months, whatever day the demo was made: every one
    # counts (USD at 7.10), and the deal won today is closed won.
    assert "¥2,528,700.00" in figures and "¥88,000.00" in figures
    quotes = admin.get("/t/demo/quotes/").get_data(as_text=True)
    assert all(number in quotes for number in ("Q000001", "Q000002", "Q000003"))
    orders = admin.get("/t/demo/orders/").get_data(as_text=True)
    assert "SO000001" in orders and "上海连天红家具有限公司" in orders
    # Quoting chairs for 连天红 again shows the dealer price it was given before.
    found = admin.get("/t/demo/quotes/line-info?customer=C000001&currency=CNY&q=CHAIR-01").json
    chair = next(item for item in found if item["code"] == "CHAIR-01")
    assert chair["price"] == "1428.00" and chair["history"]["customer"]["last"] == "1428.00"


def test_a_demo_suspended_after_its_paid_month_is_open_again_at_the_next_make_run(app):
    """The billing run makes the demo past due, then suspends it, once its month is over."""
    from app.demo import DEMO_PASSWORD, ensure_demo
    from billing import subscriptions
    from billing.states import transition
    from tests.conftest import login

    with app.app_context():
        ensure_demo()
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "demo")).one()
        subscription = subscriptions.for_tenant(tenant.id)
        if subscription.status == "active":
            transition(subscription, "past_due", actor="test", reason="month over")
        if subscription.status == "past_due":
            transition(subscription, "suspended", actor="test", reason="unpaid")
        db.session.commit()
        assert tenant.status == "suspended"
        ensure_demo()
        db.session.refresh(tenant)
        assert (tenant.status, subscriptions.for_tenant(tenant.id).status) == ("active", "active")
        db.session.expunge(tenant)
    client = app.test_client()
    assert login(client, tenant, "admin@demo.example", DEMO_PASSWORD).status_code == 302
    assert client.get("/t/demo/customers/").status_code == 200
