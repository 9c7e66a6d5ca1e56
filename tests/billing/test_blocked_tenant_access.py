"""A suspended or canceled tenant's admin can still get in (two-factor, forgotten password),
and a suspended tenant can export its data; the rest of the workspace stays closed."""
import pyotp
import sqlalchemy as sa

from app.auth import twofactor
from app.auth.models import User
from app.export.models import ExportJob
from app.extensions import db
from tenants.context import tenant_scope
from tests.billing.conftest import subscribe
from tests.conftest import login
from tests.mailbox import latest_mail, link_path


def _enable_two_factor(app, tenant) -> str:
    secret = twofactor.new_secret()
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.scalars(sa.select(User).where(User.email == f"owner@{tenant.slug}.example")).one()
        twofactor.enable(owner, secret)
        db.session.commit()
    return secret


def test_a_suspended_admin_with_two_factor_logs_in_and_reaches_billing(app, client, tenant):
    secret = _enable_two_factor(app, tenant)
    subscribe(app, tenant, "suspended")
    response = login(client, tenant)
    assert response.status_code == 302 and "/login/code" in response.location
    assert client.get(f"/t/{tenant.slug}/login/code").status_code == 200
    response = client.post(f"/t/{tenant.slug}/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get(f"/t/{tenant.slug}/billing/").status_code == 200
    assert client.get(f"/t/{tenant.slug}/").status_code == 403  # the workspace itself stays closed


def test_a_canceled_tenant_admin_resets_a_forgotten_password(app, client, tenant):
    subscribe(app, tenant, "canceled")
    email = f"owner@{tenant.slug}.example"
    assert client.get(f"/t/{tenant.slug}/password/forgot").status_code == 200
    assert client.post(f"/t/{tenant.slug}/password/forgot", data={"email": email}).status_code == 302
    path = link_path(latest_mail(app, email), "password/reset")
    response = client.post(path, data={"password": "a-new-long-secret", "confirm": "a-new-long-secret"})
    assert response.status_code == 302
    assert login(client, tenant, password="a-new-long-secret").status_code == 302


def test_a_suspended_tenant_starts_its_data_export(app, tenant, owner_client):
    subscribe(app, tenant, "suspended")
    assert owner_client.get(f"/t/{tenant.slug}/admin/export/").status_code == 200
    assert owner_client.post(f"/t/{tenant.slug}/admin/export/").status_code == 302
    with app.app_context(), tenant_scope(tenant):
        jobs = db.session.scalars(sa.select(ExportJob)).all()
    assert len(jobs) == 1


def test_a_canceled_tenant_still_cannot_use_the_workspace_or_export_itself(app, tenant, owner_client):
    subscribe(app, tenant, "canceled")
    assert owner_client.post(f"/t/{tenant.slug}/admin/export/").status_code == 403
    assert owner_client.get(f"/t/{tenant.slug}/customers/").status_code == 403
