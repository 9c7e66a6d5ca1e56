"""The tenant admin's billing page: trial shown, open while suspended, for admins only."""
import pytest

from app.extensions import db
from tenants.models import Tenant
from tests.billing.conftest import subscribe


def _set_status(app, tenant, status):
    with app.app_context():
        db.session.get(Tenant, tenant.id).status = status
        db.session.commit()


def test_the_billing_page_shows_the_trial_and_usage(app, tenant, owner_client):
    subscribe(app, tenant, "trialing")
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "Trial" in page and "Your free trial ends on" in page and "Basic" in page
    assert "1 / 3" in page  # one active user of the Trial plan's three seats


@pytest.mark.parametrize("status,path,method,expected", [
    ("suspended", "/", "get", 403),
    ("suspended", "/billing/", "get", 200),
    ("suspended", "/billing/pay", "post", 302),
    ("canceled", "/billing/", "get", 200),
    ("canceled", "/billing/pay", "post", 403),
    ("canceled", "/", "get", 403),
])
def test_what_a_blocked_tenant_can_still_reach(app, tenant, owner_client, status, path, method, expected):
    subscribe(app, tenant, status)
    response = getattr(owner_client, method)(f"/t/{tenant.slug}{path}")
    assert response.status_code == expected


def test_the_blocked_page_points_a_suspended_tenant_to_billing(app, tenant, owner_client):
    subscribe(app, tenant, "suspended")
    page = owner_client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "suspended" in page and f"/t/{tenant.slug}/billing/" in page


def test_staff_without_admin_rights_cannot_see_billing(app, tenant):
    import sqlalchemy as sa
    from app.access.models import Role
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from tenants.context import tenant_scope
    from tests.conftest import TEST_PASSWORD, login

    subscribe(app, tenant, "active")
    with app.app_context(), tenant_scope(tenant):
        rep = db.session.scalars(sa.select(Role).where(Role.key == "sales_rep")).one()
        db.session.add(User(email=f"rep@{tenant.slug}.example", name="Rep", role_id=rep.id,
                            password_hash=hash_password(TEST_PASSWORD)))
        db.session.commit()
    client = app.test_client()
    login(client, tenant, email=f"rep@{tenant.slug}.example")
    assert client.get(f"/t/{tenant.slug}/billing/").status_code == 403


def test_cancel_at_period_end_and_undo(app, tenant, owner_client):
    subscribe(app, tenant, "active")
    owner_client.post(f"/t/{tenant.slug}/billing/cancel")
    assert "Cancellation is scheduled" in owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    owner_client.post(f"/t/{tenant.slug}/billing/cancel", data={"undo": "1"})
    assert "Cancellation is scheduled" not in owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert owner_client.post(f"/t/{tenant.slug}/billing/plan", data={"plan": "nope"}).status_code == 422


def test_the_admin_pays_an_open_invoice_through_stripe_checkout(app, tenant, fake_stripe, owner_client):
    """POST …/invoices/<id>/pay opens a Stripe Checkout session for exactly that invoice."""
    from decimal import Decimal

    from billing import invoices
    from tests.billing.conftest import load, subscribe

    sub_id = subscribe(app, tenant, "past_due", gateway="stripe", stripe_customer_id=f"cus_{tenant.slug}")
    with app.app_context():
        invoice = invoices.issue(invoices.draft(load(sub_id), [("Basic", 1, Decimal("199.00"))]),
                                 send_mail=False)
        db.session.commit()
        invoice_id, total = invoice.id, invoice.total
    response = owner_client.post(f"/t/{tenant.slug}/billing/invoices/{invoice_id}/pay")
    assert response.status_code == 303 and response.location.startswith("https://")
    created = [params for method, path, params in fake_stripe.requests
               if (method, path) == ("post", "/v1/checkout/sessions")]
    assert len(created) == 1
    assert created[0]["metadata[invoice_id]"] == str(invoice_id)
    assert int(created[0]["line_items[0][price_data][unit_amount]"]) == int(total * 100)
