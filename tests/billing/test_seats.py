"""Extra seats: prorated to the cent, bought and lowered from the billing page, enforced on invites."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import secrets

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from billing import changes, plans, seats
from billing.clock import now
from billing.gateways.manual import period_invoice
from billing.invoice_models import Invoice
from billing.models import SubscriptionTransition
from tenants.models import Tenant
from tests.billing.conftest import load, subscribe
from tests.console import console_client
from tests.conftest import add_user

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("seat_amount,seats_changed,end,at,expected", [
    # half of a 30-day month left: 49.00 / 2 = 24.50 per seat
    ("49.00", 3, START + timedelta(days=30), START + timedelta(days=15), "73.50"),
    # a third left of TWD 219.00: 73.00 per seat
    ("219.00", 1, START + timedelta(days=30), START + timedelta(days=20), "73.00"),
    # HKD 54.00 with 10 of 31 days left: 17.419… → 17.42 per seat, then × 4
    ("54.00", 4, START + timedelta(days=31), START + timedelta(days=21), "69.68"),
    # USD 7.00 with 7 of 31 days left: 1.5806… → 1.58 per seat (rounded per seat, not per line)
    ("7.00", 2, START + timedelta(days=31), START + timedelta(days=24), "3.16"),
    # a yearly CNY seat (490.00) with 73 of 365 days left: 98.00
    ("490.00", 1, START + timedelta(days=365), START + timedelta(days=292), "98.00"),
    # at the very start the whole period is charged; after the end nothing is
    ("29.00", 2, START + timedelta(days=30), START, "58.00"),
    ("29.00", 2, START + timedelta(days=30), START + timedelta(days=31), "0.00"),
])
def test_seat_proration_is_decimal_to_the_cent(seat_amount, seats_changed, end, at, expected):
    amount = seats.prorated_seats(Decimal(seat_amount), seats_changed, START, end, at)
    assert isinstance(amount, Decimal) and amount == Decimal(expected)


def _active(subscribed, days_left=15, **fields):
    start = now() - timedelta(days=30 - days_left)
    return subscribed("active", current_period_start=start, current_period_end=start + timedelta(days=30),
                      **fields)


def _history(sub_id):
    return db.session.scalars(sa.select(SubscriptionTransition.reason).where(
        SubscriptionTransition.subscription_id == sub_id).order_by(SubscriptionTransition.id)).all()


def test_raising_invoices_the_added_seats_for_the_rest_of_the_period(app, app_ctx, subscribed):
    tenant, sub_id = _active(subscribed)
    with time_machine.travel(load(sub_id).current_period_start + timedelta(days=15), tick=False):
        invoice = seats.change_extra_seats(load(sub_id), db.session.get(Tenant, tenant.id), 3, actor="test")
    db.session.commit()
    line = invoice.lines[0]
    # Basic in CNY: 49.00 per extra user and month, half the month left → 24.50 each
    assert (line.quantity, line.unit_amount, line.amount) == (3, Decimal("24.50"), Decimal("73.50"))
    assert (invoice.subtotal, invoice.tax, invoice.total) == (Decimal("73.50"), Decimal("4.41"), Decimal("77.91"))
    assert invoice.status == "open" and load(sub_id).extra_seats == 3
    assert f"extra users 0 → 3; invoice {invoice.number}" in _history(sub_id)[-1]


def test_lowering_credits_the_removed_seats(app, app_ctx, subscribed):
    tenant, sub_id = _active(subscribed, extra_seats=5, currency="USD")
    with time_machine.travel(load(sub_id).current_period_start + timedelta(days=15), tick=False):
        assert seats.change_extra_seats(load(sub_id), db.session.get(Tenant, tenant.id), 1, actor="test") is None
    db.session.commit()
    # Basic in USD: 7.00 per extra user, half left → 3.50 × 4 removed
    assert load(sub_id).credit_balance == Decimal("14.00") and load(sub_id).extra_seats == 1
    assert "extra users 5 → 1; credit 14.00 USD" in _history(sub_id)[-1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(
        Invoice.subscription_id == sub_id)) == 0


def test_during_the_trial_seats_change_without_a_charge_and_renewals_bill_them(app, app_ctx, subscribed):
    tenant, sub_id = subscribed("trialing")
    assert seats.change_extra_seats(load(sub_id), db.session.get(Tenant, tenant.id), 2, actor="test") is None
    invoice = period_invoice(load(sub_id), send_mail=False)
    db.session.commit()
    assert [(line.quantity, line.amount) for line in invoice.lines] == [(1, Decimal("199.00")), (2, Decimal("98.00"))]
    assert invoice.lines[1].description == "Extra users"


def _post(client, tenant, value):
    return client.post(f"/t/{tenant.slug}/billing/seats", data={"extra_seats": value})


@pytest.mark.parametrize("value", ["-1", "abc", "", "2.5", "10001", "²", "1e3"])
def test_bad_numbers_are_refused_with_the_form(app, tenant, owner_client, value):
    sub_id = subscribe(app, tenant, "active")
    response = _post(owner_client, tenant, value)
    assert response.status_code == 422
    assert "Enter the number of extra users as a whole number from 0 to 10000." in response.get_data(as_text=True)
    with app.app_context():
        assert load(sub_id).extra_seats == 0


def test_lowering_below_the_active_users_is_refused(app, tenant, owner_client):
    sub_id = subscribe(app, tenant, "active", extra_seats=3)  # Basic: 5 + 3 seats
    for _ in range(6):
        add_user(app, tenant, "sales_rep")  # 7 active users with the owner
    response = _post(owner_client, tenant, "1")
    assert response.status_code == 422
    assert ("7 seats are taken by active users and open invitations, more than the 6 users of your "
            "plan with 1 extra users. Deactivate users or revoke invitations first") in response.get_data(as_text=True)
    with app.app_context():
        assert load(sub_id).extra_seats == 3
    assert _post(owner_client, tenant, "2").status_code == 302  # 7 users fit in 5 + 2


def test_an_unlimited_plan_sells_no_extra_seats(app, tenant, owner_client):
    subscribe(app, tenant, "active", plan_key="enterprise")
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert 'name="extra_seats"' not in page
    response = _post(owner_client, tenant, "2")
    assert response.status_code == 422 and "no user limit" in response.get_data(as_text=True)


def test_buying_from_the_billing_page_raises_the_invite_limit(app, tenant, owner_client):
    from app.access.models import Role
    from tenants.context import tenant_scope

    subscribe(app, tenant, "active")
    for _ in range(4):
        add_user(app, tenant, "sales_rep")  # 5 of Basic's 5 seats taken
    with app.app_context(), tenant_scope(tenant):
        role_id = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()

    def invite(email):
        return owner_client.post(f"/t/{tenant.slug}/admin/users/invite",
                                 data={"email": email, "role": role_id, "unit": 0})

    assert invite("six@example.com").status_code == 422
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "¥49.00 per month" in page
    response = _post(owner_client, tenant, "2")
    assert response.status_code == 302 and "/billing/invoices/" in response.location
    assert "¥" in owner_client.get(response.location).get_data(as_text=True)
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "5 / 7" in page and "5 in the plan + 2 extra" in page
    assert invite("six@example.com").status_code == 302
    assert invite("seven@example.com").status_code == 302
    refused = invite("eight@example.com")
    assert refused.status_code == 422 and "All 7 users of your plan are taken" in refused.get_data(as_text=True)


def test_a_plan_change_carries_the_extra_seats_and_prorates_them(app, app_ctx, subscribed):
    tenant, sub_id = _active(subscribed, extra_seats=2)
    with time_machine.travel(load(sub_id).current_period_start + timedelta(days=15), tick=False):
        invoice = changes.change_plan(load(sub_id), db.session.get(Tenant, tenant.id),
                                      plans.plan_by_key("professional"), "month", actor="test")
    db.session.commit()
    # credit (199 + 2 × 49) / 2 = 148.50; charge (599 + 2 × 29) / 2 = 328.50
    assert [line.amount for line in invoice.lines] == [Decimal("-148.50"), Decimal("328.50")]
    assert load(sub_id).extra_seats == 2
    assert "plan basic/month → professional/month" in _history(sub_id)[-1]
    with time_machine.travel(load(sub_id).current_period_start + timedelta(days=15), tick=False):
        changes.change_plan(load(sub_id), db.session.get(Tenant, tenant.id),
                            plans.plan_by_key("enterprise"), "month", actor="test")
    db.session.commit()
    assert load(sub_id).extra_seats == 0  # an unlimited plan needs none


def test_the_provider_console_shows_the_seat_limit_with_extra_seats(app, tenant):
    subscribe(app, tenant, "active", extra_seats=4)
    console = console_client(app, "support")
    page = console.get(f"/provider/tenants/{tenant.id}").get_data(as_text=True)
    assert "1 / 9 (4 extra)" in page


def test_billing_staff_set_a_tenants_extra_seats_from_the_console(app, tenant):
    sub_id = subscribe(app, tenant, "active", extra_seats=1)
    clients = {role: console_client(app, role) for role in ("billing", "support")}
    url = f"/provider/tenants/{tenant.id}/actions/extra_seats"
    form = {"confirm": "yes", "reason": "bought by phone"}
    assert clients["support"].post(url, data={**form, "extra_seats": "4"}).status_code == 403
    bad = clients["billing"].post(url, data={**form, "extra_seats": "-2"})
    assert bad.status_code == 422 and "whole number from 0" in bad.get_data(as_text=True)
    assert clients["billing"].post(url, data={**form, "extra_seats": "4"}).status_code == 302
    with app.app_context():
        assert load(sub_id).extra_seats == 4
        assert "extra users 1 → 4" in _history(sub_id)[-1]
    page = clients["billing"].get(f"/provider/tenants/{tenant.id}").get_data(as_text=True)
    assert "1 / 9 (4 extra)" in page and "extra users 1 → 4" in page  # the audit trail


def test_owners_edit_seat_prices_where_plan_prices_are_edited(app):
    from tests.provider.test_console import _plan_form

    console = console_client(app, "owner")
    key = _plan_with_seats(app)
    assert 'name="seat_price_HKD_year"' in console.get(f"/provider/plans/{key}").get_data(as_text=True)
    bad = console.post(f"/provider/plans/{key}", data=_plan_form(name="Seats", seat_price_CNY_month="-3"))
    assert bad.status_code == 422 and "enter an extra user&#39;s price" in bad.get_data(as_text=True)
    ok = console.post(f"/provider/plans/{key}", data=_plan_form(name="Seats", seat_price_CNY_month="59.5",
                                                                seat_price_USD_month=""))
    assert ok.status_code == 302
    with app.app_context():
        plan = plans.plan_by_key(key)
        assert plans.seat_price_of(plan, "CNY", "month") == Decimal("59.50")
        assert plans.seat_price_of(plan, "USD", "month") is None  # empty: not sold
        assert plans.seat_price_of(plan, "TWD", "year") == Decimal("100.00")  # not in the form: kept


def _plan_with_seats(app) -> str:
    """A committed, unlisted plan whose every price has a seat price of 100.00."""
    from billing.models import Plan, PlanPrice

    key = f"seats-{secrets.token_hex(3)}"
    with app.app_context():
        db.session.add(Plan(key=key, name="Seats", public=False, seat_limit=5, features=[], prices=[
            PlanPrice(currency=c, interval=i, amount=Decimal("10.00"), seat_amount=Decimal("100.00"))
            for c in ("CNY", "TWD", "HKD", "USD") for i in ("month", "year")]))
        db.session.commit()
    return key


def test_stripe_changes_the_seat_item_quantity_with_proration(app, app_ctx, fake_stripe, subscribed):
    tenant, sub_id = subscribed("active", gateway="stripe", stripe_subscription_id=f"sub_seats_{secrets.token_hex(3)}",
                                stripe_customer_id="cus_seats")
    stripe_id = load(sub_id).stripe_subscription_id
    assert seats.change_extra_seats(load(sub_id), db.session.get(Tenant, tenant.id), 3, actor="test") is None
    db.session.commit()
    # No seat item yet: looked for (products expanded), a marked product and item made, invoiced at once.
    calls = [(method, path) for method, path, _params in fake_stripe.requests]
    assert calls == [("get", f"/v1/subscriptions/{stripe_id}"), ("post", "/v1/products"),
                     ("post", "/v1/subscription_items")]
    assert fake_stripe.requests[0][2]["expand[0]"] == "items.data.price.product"
    created = fake_stripe.requests[2][2]
    assert (created["subscription"], created["quantity"], created["proration_behavior"]) == (stripe_id, "3", "always_invoice")
    assert (created["price_data[unit_amount]"], created["price_data[currency]"]) == ("4900", "cny")
    assert created["price_data[recurring][interval]"] == "month" and created["metadata[kehu]"] == "extra_seats"
    item_id = load(sub_id).stripe_seat_item_id
    assert item_id.startswith("si_test_") and load(sub_id).extra_seats == 3
    assert load(sub_id).credit_balance == Decimal("0.00")  # Stripe prorates, not the local invoice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(Invoice.subscription_id == sub_id)) == 0

    seats.change_extra_seats(load(sub_id), db.session.get(Tenant, tenant.id), 1, actor="test")
    db.session.commit()
    method, path, params = fake_stripe.requests[-1]
    assert (method, path, params["quantity"], params["proration_behavior"]) == (
        "post", f"/v1/subscription_items/{item_id}", "1", "create_prorations")
    assert load(sub_id).extra_seats == 1
    assert "extra users 3 → 1; Stripe item" in _history(sub_id)[-1]


def test_stripe_finds_the_seat_item_checkout_made(app, app_ctx, fake_stripe, subscribed):
    from tests.billing.fake_stripe import FIXTURES

    tenant, sub_id = subscribed("active", gateway="stripe", stripe_subscription_id=f"sub_co_{secrets.token_hex(3)}",
                                extra_seats=2)
    stripe_id = load(sub_id).stripe_subscription_id
    plan_item = FIXTURES["subscription"]["items"]["data"][0]
    seat_item = {**plan_item, "id": "si_from_checkout", "quantity": 2,
                 "price": {**plan_item["price"], "product": {"id": "prod_x", "metadata": {"kehu": "extra_seats"}}}}
    fake_stripe.subscriptions[stripe_id] = {"items": {"data": [plan_item, seat_item]}}
    seats.change_extra_seats(load(sub_id), db.session.get(Tenant, tenant.id), 4, actor="test")
    db.session.commit()
    method, path, params = fake_stripe.requests[-1]
    assert (path, params["quantity"], params["proration_behavior"]) == (
        "/v1/subscription_items/si_from_checkout", "4", "always_invoice")
    assert load(sub_id).stripe_seat_item_id == "si_from_checkout"


def test_stripe_checkout_carries_the_extra_seats(app, fake_stripe, tenant, owner_client):
    subscribe(app, tenant, "trialing", extra_seats=3)
    assert owner_client.post(f"/t/{tenant.slug}/billing/pay").status_code == 303
    params = fake_stripe.requests[-1][2]
    assert (params["line_items[1][quantity]"], params["line_items[1][price_data][unit_amount]"]) == ("3", "4900")
    assert params["line_items[1][price_data][product]"] == "kehu_extra_users"
    assert fake_stripe.products["kehu_extra_users"]["metadata"] == {"kehu": "extra_seats"}


def test_stripe_down_changes_nothing(app, fake_stripe, tenant, owner_client):
    sub_id = subscribe(app, tenant, "active", gateway="stripe", stripe_subscription_id=f"sub_dn_{tenant.slug}")
    fake_stripe.down = True
    response = _post(owner_client, tenant, "2")
    assert response.status_code == 503 and "Nothing was charged" in response.get_data(as_text=True)
    with app.app_context():
        assert load(sub_id).extra_seats == 0
