"""Provider support actions: impersonation (read-only, banner, audited), tenant export, exchange rates."""
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine

from app.export.models import ExportJob
from app.extensions import db
from app.provider.models import ProviderAudit, ProviderUser
from app.users.models import Invitation
from billing.models import ExchangeRate
from tenants.context import tenant_scope
from tests.billing.conftest import subscribe
from tests.console import provider_login
from tests.mailbox import mail_count

PASSWORD = "provider-secret-99"


@pytest.fixture(scope="module")
def staff(app):
    """role → a logged-in console client factory; .email[role] is that staff member's address."""
    emails = {}
    for role in ("owner", "billing", "support"):
        email = f"{role}-{__name__.replace('.', '-')}@provider.example"
        result = app.test_cli_runner().invoke(args=["provider", "create-user", email, "--role", role, "--name", f"{role.title()} Staffer"],
                                              input=f"{PASSWORD}\n{PASSWORD}\n")
        assert result.exit_code == 0, result.output
        emails[role] = email

    def client_for(role):
        client = app.test_client()
        assert provider_login(client, emails[role], PASSWORD).status_code == 302
        return client
    client_for.email = emails
    return client_for


def _owner_id(app, tenant) -> int:
    from app.auth.models import User

    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(User.id).order_by(User.id)).first()


def _impersonate(client, tenant, user_id, **form):
    data = {"user_id": user_id, "confirm": "yes", "reason": "ticket 42: list looks empty", **form}
    return client.post(f"/provider/tenants/{tenant.id}/impersonate", data=data)


def _audit(app, tenant_id=None) -> list[tuple[str, str, str]]:
    with app.app_context():
        query = sa.select(ProviderAudit.actor_email, ProviderAudit.action, ProviderAudit.detail).order_by(ProviderAudit.id)
        if tenant_id is not None:
            query = query.where(ProviderAudit.tenant_id == tenant_id)
        return [tuple(row) for row in db.session.execute(query)]


def test_support_views_the_workspace_read_only_with_a_banner_and_an_audit_trail(app, staff, tenant):
    client = staff("support")
    started = _impersonate(client, tenant, _owner_id(app, tenant))
    assert started.status_code == 302 and started.headers["Location"].endswith(f"/t/{tenant.slug}/")

    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert 'data-testid="impersonation-banner"' in page
    assert "Support Staffer" in page and staff.email["support"] in page and "read-only" in page
    assert client.get(f"/t/{tenant.slug}/admin/users").status_code == 200  # as the owner sees it

    for path in ("/admin/users/invite", "/admin/branding", "/logout", "/admin/export/"):
        refused = client.post(f"/t/{tenant.slug}{path}", data={"email": "new@example.com", "role": 1, "unit": 0,
                                                              "primary_color": "#000000"})
        assert refused.status_code == 403, path
        assert "Nothing can be changed while provider staff view this workspace" in refused.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ExportJob)) == 0

    stopped = client.post("/provider/impersonation/stop")
    assert stopped.status_code == 302 and stopped.headers["Location"].endswith(f"/provider/tenants/{tenant.id}")
    assert client.get(f"/t/{tenant.slug}/").status_code == 302  # the workspace wants a log-in again
    assert client.get("/provider/").status_code == 200  # the console session carried on
    trail = _audit(app, tenant.id)
    assert [action for _who, action, _detail in trail] == ["impersonate", "impersonate_end"]
    assert trail[0][0] == staff.email["support"]
    assert f"viewing as owner@{tenant.slug}.example" in trail[0][2] and "ticket 42" in trail[0][2]


def test_only_owner_and_support_staff_may_impersonate_and_only_with_a_reason(app, staff, tenant):
    assert _impersonate(staff("billing"), tenant, _owner_id(app, tenant)).status_code == 403
    support = staff("support")
    unconfirmed = _impersonate(support, tenant, _owner_id(app, tenant), confirm="")
    assert unconfirmed.status_code == 422
    assert _impersonate(support, tenant, 987654).status_code == 422
    assert support.get(f"/t/{tenant.slug}/").status_code == 302
    assert _audit(app, tenant.id) == []
    assert "View the workspace as a user" not in staff("billing").get(f"/provider/tenants/{tenant.id}").get_data(as_text=True)


def test_an_impersonation_opens_only_its_own_tenant_and_ends_by_itself(app, staff, new_tenant):
    first, second = new_tenant(), new_tenant()
    client = staff("owner")
    _impersonate(client, first, _owner_id(app, first))
    assert client.get(f"/t/{first.slug}/").status_code == 200
    assert client.get(f"/t/{second.slug}/").status_code == 302
    with time_machine.travel(timedelta(minutes=app.config["IMPERSONATION_MINUTES"] + 1)):
        assert client.get(f"/t/{first.slug}/").status_code == 302


def test_a_staff_member_whose_sessions_end_stops_impersonating(app, staff, tenant):
    client = staff("owner")
    _impersonate(client, tenant, _owner_id(app, tenant))
    assert client.get(f"/t/{tenant.slug}/").status_code == 200
    with app.app_context():
        member = db.session.scalars(sa.select(ProviderUser).where(ProviderUser.email == staff.email["owner"])).one()
        member.session_version += 1
        db.session.commit()
    assert client.get(f"/t/{tenant.slug}/").status_code == 302


def test_the_console_starts_the_tenants_export_for_its_owner(app, staff, tenant):
    subscribe(app, tenant, "canceled")
    client = staff("support")
    assert client.post(f"/provider/tenants/{tenant.id}/export", data={"confirm": "yes"}).status_code == 422
    done = client.post(f"/provider/tenants/{tenant.id}/export", data={"confirm": "yes", "reason": "asked by phone"})
    assert done.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        jobs = db.session.execute(sa.select(ExportJob.status, ExportJob.requested_by)).all()
    assert jobs == [("done", _owner_id(app, tenant))]
    assert mail_count(app, f"owner@{tenant.slug}.example") == 1
    trail = _audit(app, tenant.id)
    assert trail[-1][1] == "export" and "asked by phone" in trail[-1][2]
    assert f"owner@{tenant.slug}.example" in trail[-1][2]
    assert staff("billing").post(f"/provider/tenants/{tenant.id}/export",
                                 data={"confirm": "yes", "reason": "x"}).status_code == 403


def _rates(app) -> dict:
    with app.app_context():
        return {r.currency: r.rate for r in db.session.scalars(sa.select(ExchangeRate))}


def test_owners_edit_exchange_rates_audited_others_only_read(app, staff):
    before = _rates(app)
    form = {"rate_USD": "7.25", "rate_HKD": "0.92", "rate_TWD": "0.225"}
    try:
        assert staff("billing").get("/provider/rates").status_code == 200
        assert staff("billing").post("/provider/rates", data=form).status_code == 403
        bad = staff("owner").post("/provider/rates", data={**form, "rate_USD": "-1"})
        assert bad.status_code == 422 and "USD: enter a positive rate" in bad.get_data(as_text=True)
        assert _rates(app) == before
        assert staff("owner").post("/provider/rates", data=form).status_code == 302
        assert _rates(app)["USD"] == Decimal("7.25") and _rates(app)["TWD"] == Decimal("0.225")
        assert _audit(app)[-1][1:] == ("edit_rates", "HKD 0.910000 → 0.92, TWD 0.220000 → 0.225, USD 7.100000 → 7.25")
    finally:
        with app.app_context():
            for currency, rate in before.items():
                db.session.get(ExchangeRate, currency).rate = rate
            db.session.commit()
