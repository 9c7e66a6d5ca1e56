"""Canceling a Stripe-billed subscription tells Stripe, so its next event cannot undo it."""
from billing.clock import now
from tests.billing.conftest import load, subscribe
from tests.billing.fake_stripe import event, signed
from tests.console import console_client
from tests.billing.test_stripe_stale_events import _deliver, _linked

CANCEL_FLAGS = "cancel_at_period_end"


def _cancel_calls(fake_stripe, stripe_id):
    return [params.get(CANCEL_FLAGS) for method, path, params in fake_stripe.requests
            if (method, path) == ("post", f"/v1/subscriptions/{stripe_id}") and CANCEL_FLAGS in params]


def test_cancel_at_period_end_and_undo_go_to_stripe(app, client, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant)
    before = fake_stripe.subscription(stripe_id)  # Stripe's state before the cancellation
    assert owner_client.post(f"/t/{tenant.slug}/billing/cancel").status_code == 302
    assert _cancel_calls(fake_stripe, stripe_id) == ["true"]
    assert fake_stripe.subscription(stripe_id)[CANCEL_FLAGS] is True
    with app.app_context():
        changed_at = load(sub_id).stripe_changed_at
        assert load(sub_id).cancel_at_period_end and load(sub_id).status == "active"
        assert "at period end; Stripe cancel_at_period_end=true" in load(sub_id).history[-1].reason

    # An event Stripe created before the cancellation, delivered after it, does not undo it.
    assert _deliver(client, before, f"evt_cancel_old_{tenant.slug}", changed_at - 30).status_code == 200
    with app.app_context():
        assert load(sub_id).cancel_at_period_end
    page = owner_client.get(f"/t/{tenant.slug}/billing/").get_data(as_text=True)
    assert "undo" in page.lower()

    assert owner_client.post(f"/t/{tenant.slug}/billing/cancel", data={"undo": "1"}).status_code == 302
    assert _cancel_calls(fake_stripe, stripe_id) == ["true", "false"]
    with app.app_context():
        assert not load(sub_id).cancel_at_period_end
        assert load(sub_id).history[-1].reason.startswith("cancellation undone; Stripe")


def test_stripe_down_changes_nothing(app, fake_stripe, tenant, owner_client):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant)
    fake_stripe.down = True
    down = owner_client.post(f"/t/{tenant.slug}/billing/cancel")
    assert down.status_code == 503 and "cannot be reached right now" in down.get_data(as_text=True)
    with app.app_context():
        assert not load(sub_id).cancel_at_period_end


def test_the_provider_cancels_now_in_stripe_and_the_deleted_event_is_harmless(app, client, fake_stripe,
                                                                                tenant):
    sub_id, stripe_id = _linked(app, fake_stripe, tenant)
    console = console_client(app, "owner")  # canceling is for provider owners
    form = {"confirm": "yes", "reason": "customer left", "when": "now"}
    assert console.post(f"/provider/tenants/{tenant.id}/actions/cancel", data=form).status_code == 302
    assert ("delete", f"/v1/subscriptions/{stripe_id}", {}) in fake_stripe.requests
    with app.app_context():
        assert load(sub_id).status == "canceled"
    body, headers = signed(event("customer.subscription.deleted", fake_stripe.subscription(stripe_id),
                                 event_id=f"evt_deleted_{tenant.slug}", created=int(now().timestamp()) + 5))
    assert client.post("/billing/stripe/webhook", data=body, headers=headers).status_code == 200
    with app.app_context():
        assert load(sub_id).status == "canceled"


def test_a_manual_subscription_cancels_without_stripe(app, fake_stripe, tenant, owner_client):
    sub_id = subscribe(app, tenant, "active")
    assert owner_client.post(f"/t/{tenant.slug}/billing/cancel").status_code == 302
    assert fake_stripe.requests == []
    with app.app_context():
        assert load(sub_id).cancel_at_period_end
