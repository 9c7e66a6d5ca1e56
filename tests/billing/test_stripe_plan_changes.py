"""Plan and interval changes of a Stripe-linked subscription go through Stripe, not local invoices."""
import secrets
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from billing.clock import now
from billing.invoice_models import Invoice
from billing.models import Plan, PlanPrice, SubscriptionTransition
from tests.billing.conftest import load, small_plan, subscribe
from tests.billing.fake_stripe import FIXTURES, event, fixture, signed
from tests.console import console_client

PLAN_ITEM = FIXTURES["subscription"]["items"]["data"][0]["id"]


def _linked(app, tenant, plan_key="basic", interval="month", days_left=15, **fields):
    """An active Stripe-linked subscription, `days_left` of its 30-day period to go."""
    start = now() - timedelta(days=30 - days_left)
    sub_id = subscribe(app, tenant, "active", plan_key=plan_key, interval=interval, gateway="stripe",
                       stripe_subscription_id=f"sub_plan_{tenant.slug}", stripe_customer_id=f"cus_{tenant.slug}",
                       current_period_start=start, current_period_end=start + timedelta(days=30), **fields)
    return sub_id, f"sub_plan_{tenant.slug}"


def _with_seat_item(fake_stripe, stripe_id, quantity):
    """Stripe has the plan item and a seat item (its product marked) as Checkout made them."""
    plan_item = FIXTURES["subscription"]["items"]["data"][0]
    seat_item = {**plan_item, "id": "si_seats", "quantity": quantity,
                 "price": {**plan_item["price"], "product": {"id": "prod_seats", "metadata": {"kehu": "extra_seats"}}}}
    fake_stripe.subscriptions[stripe_id] = {"items": {"object": "list", "data": [plan_item, seat_item]}}


def _change(client, tenant, plan, interval="month"):
    return client.post(f"/t/{tenant.slug}/billing/plan", data={"plan": plan, "interval": interval})


def _update_call(fake_stripe, stripe_id):
    updates = [params for method, path, params in fake_stripe.requests
               if (method, path) == ("post", f"/v1/subscriptions/{stripe_id}")]
    assert len(updates) == 1
    return updates[0]


def _history(sub_id):
    return db.session.scalars(sa.select(SubscriptionTransition.reason).where(
        SubscriptionTransition.subscription_id == sub_id).order_by(SubscriptionTransition.id)).all()


def _invoices(sub_id):
    return db.session.scalars(sa.select(Invoice).where(Invoice.subscription_id == sub_id)).all()


def _deliver(client, payload):
    body, headers = signed(payload)
    response = client.post("/billing/stripe/webhook", data=body, headers=headers)
    assert response.status_code == 200
    return response.get_json()["outcome"]


def test_an_upgrade_moves_the_plan_item_and_stripe_charges_the_difference_now(app, fake_stripe, tenant,
                                                                              owner_client):
    sub_id, stripe_id = _linked(app, tenant)
    response = _change(owner_client, tenant, "professional")
    assert response.status_code == 302 and response.location.endswith("/billing/")  # no local invoice to pay
    paths = [path for _method, path, _params in fake_stripe.requests]
    assert paths == [f"/v1/subscriptions/{stripe_id}", "/v1/products", f"/v1/subscriptions/{stripe_id}"]
    assert fake_stripe.requests[1][2]["name"] == "Kehu CRM Professional"
    params = _update_call(fake_stripe, stripe_id)
    assert params["proration_behavior"] == "always_invoice"
    assert params["items[0][id]"] == PLAN_ITEM
    assert (params["items[0][price_data][unit_amount]"], params["items[0][price_data][currency]"],
            params["items[0][price_data][recurring][interval]"]) == ("59900", "cny", "month")
    assert params["items[0][price_data][product]"] == "kehu_plan_professional"
    assert not any(key.startswith("items[1]") for key in params)  # no extra users, no seat item
    with app.app_context():
        subscription = load(sub_id)
        assert (subscription.plan.key, subscription.interval) == ("professional", "month")
        assert _invoices(sub_id) == [] and subscription.credit_balance == Decimal("0.00")
        assert _history(sub_id)[-1] == (f"plan basic/month → professional/month; Stripe item {PLAN_ITEM} → "
                                        "professional/month, always_invoice")
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "You are now on the Professional plan." in page


def test_a_plan_price_with_a_stripe_price_id_is_sent_as_that_price(app, app_ctx, fake_stripe, tenant):
    from billing import changes
    from tenants.models import Tenant

    key = f"stripe-priced-{secrets.token_hex(3)}"
    db.session.add(Plan(key=key, name="Priced", public=False, seat_limit=50, features=[], prices=[
        PlanPrice(currency="CNY", interval="month", amount=Decimal("999.00"), stripe_price_id="price_priced")]))
    db.session.commit()
    sub_id, stripe_id = _linked(app, tenant)
    changes.change_plan(load(sub_id), db.session.get(Tenant, tenant.id),
                        db.session.scalars(sa.select(Plan).where(Plan.key == key)).one(), "month", actor="test")
    db.session.commit()
    params = _update_call(fake_stripe, stripe_id)
    assert (params["items[0][id]"], params["items[0][price]"]) == (PLAN_ITEM, "price_priced")
    assert "items[0][price_data][unit_amount]" not in params
    assert "/v1/products" not in [path for _method, path, _params in fake_stripe.requests]
    assert load(sub_id).plan.key == key and _invoices(sub_id) == []


def test_a_downgrade_leaves_the_credit_to_stripes_next_invoice(app, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, tenant, plan_key="professional")
    assert _change(owner_client, tenant, "basic").status_code == 302
    params = _update_call(fake_stripe, stripe_id)
    assert params["proration_behavior"] == "create_prorations"
    assert (params["items[0][id]"], params["items[0][price_data][unit_amount]"]) == (PLAN_ITEM, "19900")
    with app.app_context():
        assert load(sub_id).plan.key == "basic"
        assert load(sub_id).credit_balance == Decimal("0.00") and _invoices(sub_id) == []  # Stripe credits it
        assert "create_prorations" in _history(sub_id)[-1]


def test_an_interval_change_moves_the_seat_item_too_and_the_webhooks_agree(app, client, fake_stripe, tenant,
                                                                           owner_client):
    sub_id, stripe_id = _linked(app, tenant, extra_seats=2)
    _with_seat_item(fake_stripe, stripe_id, 2)
    assert _change(owner_client, tenant, "basic", "year").status_code == 302
    params = _update_call(fake_stripe, stripe_id)
    assert params["proration_behavior"] == "always_invoice"  # a year at once costs more than half a month
    assert (params["items[0][id]"], params["items[0][price_data][unit_amount]"],
            params["items[0][price_data][recurring][interval]"]) == (PLAN_ITEM, "199000", "year")
    # Basic's yearly extra user in CNY: 490.00; same seat product, same quantity.
    assert (params["items[1][id]"], params["items[1][quantity]"], params["items[1][price_data][unit_amount]"],
            params["items[1][price_data][recurring][interval]"], params["items[1][price_data][product]"]) == (
        "si_seats", "2", "49000", "year", "prod_seats")
    with app.app_context():
        subscription = load(sub_id)
        assert (subscription.interval, subscription.extra_seats, subscription.stripe_seat_item_id) == (
            "year", 2, "si_seats")
        assert subscription.current_period_end - subscription.current_period_start == timedelta(days=365)
        assert "seat item si_seats, always_invoice" in _history(sub_id)[-1]
        changes_recorded = len(_history(sub_id))

    # Stripe reports the updated subscription (new prices, new yearly period) and the paid proration invoice.
    updated = fake_stripe.subscription(stripe_id)
    assert [item["price"]["recurring"]["interval"] for item in updated["items"]["data"]] == ["year", "year"]
    period_start = int(now().timestamp())
    for item in updated["items"]["data"]:
        item.update(current_period_start=period_start, current_period_end=period_start + 365 * 86400)
    updated.update(status="active", cancel_at_period_end=False)
    assert _deliver(client, event("customer.subscription.updated", updated, event_id=f"evt_up_{tenant.slug}",
                                  created=period_start)) == "processed"
    paid = fixture("invoice", id=f"in_prorate_{tenant.slug}", subscription=stripe_id, parent=None,
                   billing_reason="subscription_update", amount_paid=266400, status="paid", number="STR-0042",
                   period_start=period_start, period_end=period_start)
    payload = event("invoice.paid", paid, event_id=f"evt_paid_{tenant.slug}", created=period_start + 1)
    assert _deliver(client, payload) == "processed"
    assert _deliver(client, payload) == "duplicate"
    with app.app_context():
        subscription = load(sub_id)
        assert (subscription.plan.key, subscription.interval, subscription.extra_seats) == ("basic", "year", 2)
        assert subscription.status == "active" and subscription.credit_balance == Decimal("0.00")
        assert len(_history(sub_id)) == changes_recorded  # nothing undone or applied twice
        [mirrored] = _invoices(sub_id)  # the proration invoice, paid in Stripe, mirrored once
        assert (mirrored.status, mirrored.total, mirrored.stripe_invoice_id) == (
            "paid", Decimal("2664.00"), f"in_prorate_{tenant.slug}")


def test_a_plan_without_extra_users_removes_the_seat_item(app, client, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, tenant, extra_seats=2, stripe_seat_item_id="si_seats")
    _with_seat_item(fake_stripe, stripe_id, 2)
    assert _change(owner_client, tenant, "enterprise").status_code == 302
    params = _update_call(fake_stripe, stripe_id)
    assert (params["items[1][id]"], params["items[1][deleted]"]) == ("si_seats", "true")
    with app.app_context():
        assert (load(sub_id).extra_seats, load(sub_id).stripe_seat_item_id) == (0, None)
    # The webhook for that update has no seat item: the extra users stay at 0.
    updated = {**fake_stripe.subscription(stripe_id), "status": "active"}
    assert [item["id"] for item in updated["items"]["data"]] == [PLAN_ITEM]
    _deliver(client, event("customer.subscription.updated", updated, event_id=f"evt_ent_{tenant.slug}",
                           created=int(now().timestamp())))
    with app.app_context():
        assert (load(sub_id).plan.key, load(sub_id).extra_seats) == ("enterprise", 0)


def test_stripe_down_says_so_and_changes_nothing(app, fake_stripe, tenant, owner_client):
    sub_id, _stripe_id = _linked(app, tenant)
    with app.app_context():
        before = len(_history(sub_id))
    fake_stripe.down = True
    response = _change(owner_client, tenant, "professional")
    assert response.status_code == 503
    assert "cannot be reached right now. Nothing was charged" in response.get_data(as_text=True)
    with app.app_context():
        assert load(sub_id).plan.key == "basic" and len(_history(sub_id)) == before and _invoices(sub_id) == []
    fake_stripe.down = False
    assert _change(owner_client, tenant, "professional").status_code == 302  # a retry works
    with app.app_context():
        assert load(sub_id).plan.key == "professional"


def test_the_provider_console_changes_the_plan_through_stripe(app, fake_stripe, tenant):
    sub_id, stripe_id = _linked(app, tenant)
    console = console_client(app, "billing")
    form = {"confirm": "yes", "reason": "customer asked", "plan": "professional", "interval": "month"}
    fake_stripe.down = True
    down = console.post(f"/provider/tenants/{tenant.id}/actions/change_plan", data=form)
    assert down.status_code == 503 and "cannot be reached right now" in down.get_data(as_text=True)
    with app.app_context():
        assert load(sub_id).plan.key == "basic"
    fake_stripe.down = False
    assert console.post(f"/provider/tenants/{tenant.id}/actions/change_plan", data=form).status_code == 302
    assert _update_call(fake_stripe, stripe_id)["proration_behavior"] == "always_invoice"
    with app.app_context():
        assert load(sub_id).plan.key == "professional" and _invoices(sub_id) == []
        assert _history(sub_id)[-1].startswith("plan basic/month → professional/month; Stripe item")


def test_refused_changes_never_reach_stripe(app, fake_stripe, tenant, owner_client):
    sub_id, _stripe_id = _linked(app, tenant)
    no_users = small_plan(app, seats=0)  # the owner alone is above its limit
    refused = _change(owner_client, tenant, no_users)
    assert refused.status_code == 422 and "above the Tiny plan" in refused.get_data(as_text=True)
    assert _change(owner_client, tenant, "basic").status_code == 422  # already on it
    assert fake_stripe.requests == []
    with app.app_context():
        assert load(sub_id).plan.key == "basic"
