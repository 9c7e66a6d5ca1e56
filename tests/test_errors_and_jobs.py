"""Unexpected errors become a plain page; background jobs run inline without Redis."""
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


def test_the_demo_workspace_has_stores_customers_and_logins(app):
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
