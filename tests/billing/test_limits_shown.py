"""Every limit is on show: the trial's and each plan's on /pricing, both on the billing page;
and the demo workspace starts within its plan, so its admin can invite someone."""
import sqlalchemy as sa

from app.access.models import Role
from app.extensions import db
from billing import limits
from tenants.context import tenant_scope
from tenants.models import Tenant
from tests.billing.conftest import subscribe


def test_pricing_shows_the_trial_limits_and_every_plan_limit(client):
    page = client.get("/pricing").get_data(as_text=True)
    assert "During the trial: 3 users, 1,000 customer and contact records, 500 MB of files." in page
    assert "Users: 25" in page and "Customer and contact records: 50,000" in page
    assert "File storage: 20,480 MB" in page
    assert "Users: unlimited" in page and "File storage: 204,800 MB" in page  # Enterprise


def test_the_billing_page_shows_the_trial_limits_and_the_plan_limits_after_it(app, tenant, owner_client):
    subscribe(app, tenant, "trialing", plan_key="professional")
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "1 / 3" in page and "0 / 1000" in page and "0 / 500" in page  # the trial's limits, now
    assert ("From the first paid period the Professional plan allows 25 users, 50,000 customer and "
            "contact records, 20,480 MB of files.") in page


def test_the_demo_starts_within_its_plan_and_its_admin_can_invite(app):
    from app.demo import DEMO_PASSWORD, ensure_demo
    from billing.usage import usage_of
    from tests.conftest import login

    with app.app_context():
        ensure_demo()
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "demo")).one()
        with tenant_scope(tenant):
            seats, used = limits.limit_of("seats"), usage_of(tenant).seats
            rep = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
        db.session.expunge(tenant)
    assert used == 4 and (seats is None or seats > used)
    admin = app.test_client()
    assert login(admin, tenant, "admin@demo.example", DEMO_PASSWORD).status_code == 302
    invited = admin.post("/t/demo/admin/users/invite",
                         data={"email": "new.colleague@demo.example", "role": rep, "unit": 0})
    assert invited.status_code == 302, invited.get_data(as_text=True)
