"""Subscription events Stripe created before our own seat or plan change do not undo it.

Such an event is not applied as sent: the subscription is re-read from Stripe
(here the fake) and that current state is applied. Events created after the
change (e.g. a change in Stripe's portal) are applied as sent.
"""
import copy
from datetime import timedelta

import time_machine

from billing.clock import now
from tests.billing.conftest import load, subscribe
from tests.billing.fake_stripe import FIXTURES, event, signed

WEBHOOK = "/billing/stripe/webhook"


def _linked(app, fake_stripe, tenant, extra_seats=0):
    """An active Stripe-linked Basic subscription, mid-month; Stripe has the plan item and the seat item."""
    start = now() - timedelta(days=15)
    end = start + timedelta(days=30)
    stripe_id = f"sub_stale_{tenant.slug}"
    sub_id = subscribe(app, tenant, "active", gateway="stripe", stripe_subscription_id=stripe_id,
                       stripe_customer_id=f"cus_{tenant.slug}", stripe_seat_item_id="si_seats",
                       extra_seats=extra_seats, current_period_start=start, current_period_end=end)
    period = {"current_period_start": int(start.timestamp()), "current_period_end": int(end.timestamp())}
    plan_item = {**copy.deepcopy(FIXTURES["subscription"]["items"]["data"][0]), **period}
    seat_item = {**copy.deepcopy(plan_item), "id": "si_seats", "quantity": extra_seats,
                 "price": {**plan_item["price"], "product": {"id": "prod_seats", "metadata": {"kehu": "extra_seats"}}}}
    fake_stripe.subscriptions[stripe_id] = {"status": "active", "cancel_at_period_end": False,
                                            "items": {"object": "list", "data": [plan_item, seat_item]}}
    return sub_id, stripe_id


def _with_seats(obj, quantity):
    obj = copy.deepcopy(obj)
    for item in obj["items"]["data"]:
        if item["id"] == "si_seats":
            item["quantity"] = quantity
    return obj


def _deliver(client, obj, event_id, created):
    body, headers = signed(event("customer.subscription.updated", obj, event_id=event_id, created=created))
    return client.post(WEBHOOK, data=body, headers=headers)


def _reads(fake_stripe, stripe_id):
    """GET requests for the subscription (the seat and plan changes read it too)."""
    return [params for method, path, params in fake_stripe.requests
            if (method, path) == ("get", f"/v1/subscriptions/{stripe_id}")]


def test_an_older_update_does_not_reset_the_seats_bought_here(app, client, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant)
    before = fake_stripe.subscription(stripe_id)  # what Stripe sent for a change made before ours
    moment = now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        response = owner_client.post(f"/t/{tenant.slug}/billing/seats", data={"extra_seats": "3"})
    assert response.status_code == 302
    assert fake_stripe.subscription(stripe_id)["items"]["data"][1]["quantity"] == 3
    with app.app_context():
        changed_at = load(sub_id).stripe_changed_at
        assert load(sub_id).extra_seats == 3 and changed_at == int(moment.timestamp())
    reads = len(_reads(fake_stripe, stripe_id))

    # Created 20 s before our change, delivered after it: it shows no extra users.
    stale = _deliver(client, _with_seats(before, 0), f"evt_old_{tenant.slug}", changed_at - 20)
    assert stale.status_code == 200 and stale.get_json()["outcome"] == "processed"
    assert len(_reads(fake_stripe, stripe_id)) == reads + 1  # re-read from Stripe instead
    with app.app_context():
        assert load(sub_id).extra_seats == 3
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "(5 in the plan + 3 extra)" in page

    # Ten minutes later the admin sets 5 extra users in Stripe's portal: applied as sent.
    portal = _deliver(client, _with_seats(fake_stripe.subscription(stripe_id), 5), f"evt_new_{tenant.slug}",
                      changed_at + 600)
    assert portal.get_json()["outcome"] == "processed"
    assert len(_reads(fake_stripe, stripe_id)) == reads + 1  # no re-read for an event newer than our change
    with app.app_context():
        assert load(sub_id).extra_seats == 5

    # The old event again (a redelivery) and an even older one change nothing.
    assert _deliver(client, _with_seats(before, 0), f"evt_old_{tenant.slug}",
                    changed_at - 20).get_json()["outcome"] == "duplicate"
    _deliver(client, _with_seats(before, 0), f"evt_older_{tenant.slug}", changed_at - 60)
    with app.app_context():
        assert load(sub_id).extra_seats == 5


def test_an_older_update_does_not_undo_a_plan_change(app, client, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant, extra_seats=2)
    before = fake_stripe.subscription(stripe_id)  # Basic monthly, 2 extra users
    response = owner_client.post(f"/t/{tenant.slug}/billing/plan", data={"plan": "enterprise", "interval": "year"})
    assert response.status_code == 302
    current = fake_stripe.subscription(stripe_id)
    assert [item["id"] for item in current["items"]["data"]] != [item["id"] for item in before["items"]["data"]]
    year_start, year_end = (current["items"]["data"][0][key] for key in ("current_period_start",
                                                                         "current_period_end"))
    with app.app_context():
        subscription = load(sub_id)
        changed_at = subscription.stripe_changed_at
        assert (subscription.plan.key, subscription.interval, subscription.extra_seats) == ("enterprise", "year", 0)
    reads = len(_reads(fake_stripe, stripe_id))

    # Created before the change: the monthly period and the 2 extra users of the Basic plan.
    stale = _deliver(client, before, f"evt_oldplan_{tenant.slug}", changed_at - 20)
    assert stale.get_json()["outcome"] == "processed" and len(_reads(fake_stripe, stripe_id)) == reads + 1
    with app.app_context():
        subscription = load(sub_id)
        assert (subscription.plan.key, subscription.interval, subscription.extra_seats) == ("enterprise", "year", 0)
        # Stripe's current (yearly) period is what was applied.
        assert (int(subscription.current_period_start.timestamp()),
                int(subscription.current_period_end.timestamp())) == (year_start, year_end)
        assert subscription.current_period_end - subscription.current_period_start > timedelta(days=360)

    # Later the cancellation is scheduled in Stripe's portal: applied as sent.
    portal = {**fake_stripe.subscription(stripe_id), "cancel_at_period_end": True}
    assert _deliver(client, portal, f"evt_cancel_{tenant.slug}", changed_at + 600).get_json()["outcome"] == "processed"
    assert len(_reads(fake_stripe, stripe_id)) == reads + 1
    with app.app_context():
        assert load(sub_id).cancel_at_period_end and load(sub_id).plan.key == "enterprise"
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "Cancellation is scheduled for the end of the current period." in page


def test_a_newer_seat_change_in_stripe_after_a_plan_change_is_applied(app, client, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant, extra_seats=2)
    before = fake_stripe.subscription(stripe_id)
    assert owner_client.post(f"/t/{tenant.slug}/billing/plan",
                             data={"plan": "professional", "interval": "month"}).status_code == 302
    with app.app_context():
        changed_at = load(sub_id).stripe_changed_at
        assert (load(sub_id).plan.key, load(sub_id).extra_seats) == ("professional", 2)
    _deliver(client, _with_seats(before, 0), f"evt_oldpro_{tenant.slug}", changed_at - 5)
    with app.app_context():
        assert (load(sub_id).plan.key, load(sub_id).extra_seats) == ("professional", 2)
    _deliver(client, _with_seats(fake_stripe.subscription(stripe_id), 5), f"evt_newpro_{tenant.slug}",
             changed_at + 600)
    with app.app_context():
        assert (load(sub_id).plan.key, load(sub_id).extra_seats) == ("professional", 5)


def test_stripe_unreachable_for_the_re_read_means_stripe_retries_the_event(app, client, fake_stripe, tenant,
                                                                           owner_client):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant)
    before = fake_stripe.subscription(stripe_id)
    assert owner_client.post(f"/t/{tenant.slug}/billing/seats", data={"extra_seats": "3"}).status_code == 302
    with app.app_context():
        changed_at = load(sub_id).stripe_changed_at
    fake_stripe.down = True
    refused = _deliver(client, _with_seats(before, 0), f"evt_retry_{tenant.slug}", changed_at - 20)
    assert refused.status_code == 503  # not recorded: Stripe delivers it again
    fake_stripe.down = False
    retried = _deliver(client, _with_seats(before, 0), f"evt_retry_{tenant.slug}", changed_at - 20)
    assert retried.status_code == 200 and retried.get_json()["outcome"] == "processed"
    with app.app_context():
        assert load(sub_id).extra_seats == 3
