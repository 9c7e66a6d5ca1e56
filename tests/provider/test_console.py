"""Provider console: tenants list with filters, tenant page, confirmed and audited actions, dashboard."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.provider.models import ProviderAudit
from billing.gateways.manual import period_invoice
from tests.billing.conftest import load, subscribe
from tests.console import PASSWORD, provider_login


@pytest.fixture(scope="module")
def staff(app):
    """role → a logged-in console client factory."""
    emails = {}
    for role in ("owner", "billing", "support"):
        email = f"{role}-{__name__.replace('.', '-')}@provider.example"
        result = app.test_cli_runner().invoke(args=["provider", "create-user", email, "--role", role],
                                              input=f"{PASSWORD}\n{PASSWORD}\n")
        assert result.exit_code == 0, result.output
        emails[role] = email

    def client_for(role):
        client = app.test_client()
        assert provider_login(client, emails[role], PASSWORD).status_code == 302
        return client
    return client_for


def _act(client, tenant, action, **form):
    data = {"confirm": "yes", "reason": "customer asked", **form}
    return client.post(f"/provider/tenants/{tenant.id}/actions/{action}", data=data)


def test_list_searches_filters_and_sorts(app, staff, new_tenant):
    trial, paying = new_tenant(name="Zeta Trial Co"), new_tenant(name="Alpha Paying Co")
    subscribe(app, trial, "trialing")
    subscribe(app, paying, "active", plan_key="professional", currency="USD")
    client = staff("support")
    def listed(query):
        return client.get("/provider/" + query).get_data(as_text=True)

    page = listed("?q=Zeta Trial")
    assert f"<code>{trial.slug}</code>" in page and f"<code>{paying.slug}</code>" not in page
    assert f"<code>{paying.slug}</code>" in listed(f"?q={paying.slug}&status=active&plan=professional")
    assert f"<code>{paying.slug}</code>" not in listed(f"?q={paying.slug}&status=trialing")
    for query in ("?sort=name&page=2", "?since=not-a-date&page=-4&status=bogus", "?until=2020-01-01&currency=XXX"):
        assert client.get("/provider/" + query).status_code == 200


def test_tenant_page_shows_subscription_invoices_usage_and_history(app, staff, tenant):
    subscribe(app, tenant, "trialing")
    page = staff("support").get(f"/provider/tenants/{tenant.id}").get_data(as_text=True)
    assert "Basic" in page and "Trial" in page and "sign-up" in page.lower()
    assert staff("support").get("/provider/tenants/999999").status_code == 404


def test_actions_need_confirmation_and_a_reason(app, staff, tenant):
    sub_id = subscribe(app, tenant, "trialing")
    response = staff("owner").post(f"/provider/tenants/{tenant.id}/actions/extend_trial", data={"days": "7"})
    assert response.status_code == 422 and "confirmation" in response.get_data(as_text=True)
    with app.app_context():
        before = load(sub_id).trial_ends_at
    assert _act(staff("support"), tenant, "extend_trial", days="7").status_code == 302
    with app.app_context():
        assert (load(sub_id).trial_ends_at - before).days == 7
        entry = db.session.scalars(sa.select(ProviderAudit).where(ProviderAudit.tenant_id == tenant.id)).one()
        assert entry.action == "extend_trial" and "customer asked" in entry.detail


@pytest.mark.parametrize("role,action,expected", [
    ("support", "credit", 403), ("support", "suspend", 403), ("billing", "cancel", 403),
    ("billing", "credit", 302), ("owner", "cancel", 302), ("owner", "nonsense", 404),
])
def test_roles_decide_who_may_do_what(app, staff, tenant, role, action, expected):
    subscribe(app, tenant, "active")
    assert _act(staff(role), tenant, action, amount="50.00", when="now").status_code == expected


def test_billing_staff_mark_an_invoice_paid_and_the_suspended_tenant_is_back(app, staff, tenant):
    sub_id = subscribe(app, tenant, "suspended")
    with app.app_context():
        invoice_id = period_invoice(load(sub_id), send_mail=False).id
        db.session.commit()
    client = staff("billing")
    assert _act(client, tenant, "mark_paid", invoice_id=str(invoice_id), reference="ICBC-123").status_code == 302
    with app.app_context():
        assert load(sub_id).status == "active"
    page = client.get(f"/provider/tenants/{tenant.id}").get_data(as_text=True)
    assert "ICBC-123" in page and "mark_paid" in page
    again = _act(client, tenant, "mark_paid", invoice_id=str(invoice_id))
    assert again.status_code == 422 and "only an open invoice" in again.get_data(as_text=True)


def test_illegal_moves_and_bad_input_are_refused_in_place(app, staff, tenant):
    subscribe(app, tenant, "active")
    client = staff("owner")
    for action, form in [("suspend", {}), ("credit", {"amount": "-5"}), ("credit", {"amount": "NaN"}),
                         ("mark_paid", {"invoice_id": "abc"}), ("extend_trial", {"days": "7"}),
                         ("change_plan", {"plan": "nope"})]:
        response = _act(client, tenant, action, **form)
        assert response.status_code == 422, (action, form)


def test_credit_and_dashboard_mrr_in_the_reporting_currency(app, staff, new_tenant):
    usd, cny = new_tenant(), new_tenant()
    subscribe(app, usd, "active", currency="USD")  # 29 USD × 7.10 = 205.90 CNY
    subscribe(app, cny, "active", interval="year")  # 1990 / 12 = 165.83 CNY
    client = staff("owner")
    assert _act(client, cny, "credit", amount="100").status_code == 302
    assert "¥100.00" in client.get(f"/provider/tenants/{cny.id}").get_data(as_text=True)
    with app.app_context():
        from billing.metrics import mrr_by_plan
        mrr, per_plan = mrr_by_plan()
    assert mrr >= Decimal("371.73") and per_plan["Basic"] >= Decimal("371.73")
    page = client.get("/provider/dashboard").get_data(as_text=True)
    assert "Monthly recurring revenue" in page and "weekly-chart" in page and "chart.umd.min.js" in page


def _plan_form(**changes):
    form = {"name": "Basic", "seat_limit": "5", "record_limit": "5000", "storage_limit_mb": "2048",
            "features": ["customers", "tickets"], "active": "yes"}
    for currency in ("CNY", "TWD", "HKD", "USD"):
        for interval in ("month", "year"):
            form[f"price_{currency}_{interval}"] = "10.00"
    form.update(changes)
    return form


def test_owners_edit_plans_with_decimal_prices_and_others_cannot(app, staff):
    from billing import plans
    with app.app_context():
        original = {(p.currency, p.interval): p.amount for p in plans.plan_by_key("basic").prices}
    try:
        form_page = staff("billing").get("/provider/plans/basic")
        assert form_page.status_code == 200 and 'name="price_TWD_year"' in form_page.get_data(as_text=True)
        assert staff("billing").get("/provider/plans/nope").status_code == 404
        assert staff("billing").post("/provider/plans/basic", data=_plan_form()).status_code == 403
        bad = staff("owner").post("/provider/plans/basic", data=_plan_form(price_USD_month="1e999999", seat_limit="-1"))
        assert bad.status_code == 422 and "enter a price" in bad.get_data(as_text=True)
        ok = staff("owner").post("/provider/plans/basic", data=_plan_form(price_CNY_month="249.50", seat_limit=""))
        assert ok.status_code == 302
        with app.app_context():
            basic = plans.plan_by_key("basic")
            assert basic.price("CNY", "month").amount == Decimal("249.50") and basic.seat_limit is None
        assert "¥249.50" in staff("support").get("/provider/plans").get_data(as_text=True)
    finally:
        with app.app_context():
            basic = plans.plan_by_key("basic")
            basic.seat_limit, basic.features = 5, ["customers", "contacts", "pipeline", "tasks", "tickets", "knowledge_base"]
            for price in basic.prices:
                price.amount = original[(price.currency, price.interval)]
            db.session.commit()
