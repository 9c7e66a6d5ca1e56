"""Billing fixtures: a tenant with a subscription in any status."""
import pytest

from app.extensions import db
from billing import plans
from billing.models import Subscription
from billing.subscriptions import start_trial
from tenants.models import Tenant


def subscribe(app, tenant, status="trialing", plan_key="basic", currency="CNY", interval="month",
              **fields):
    """Give a committed tenant a subscription, forced into `status` (no history for the force)."""
    with app.app_context():
        subscription = start_trial(db.session.get(Tenant, tenant.id), plans.plan_by_key(plan_key),
                                   currency, interval, actor="test",
                                   billing_email=f"owner@{tenant.slug}.example")
        subscription.status = status
        for name, value in fields.items():
            setattr(subscription, name, value)
        if status in ("suspended", "canceled"):
            db.session.get(Tenant, tenant.id).status = status
        db.session.commit()
        return subscription.id


@pytest.fixture
def fake_stripe(app, monkeypatch):
    """Stripe configured, talking to a local fake (tests/billing/fake_stripe.py)."""
    from tests.billing.fake_stripe import WEBHOOK_SECRET, FakeStripe

    fake = FakeStripe()
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_fake")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setitem(app.extensions, "stripe_http_client", fake)
    return fake


@pytest.fixture
def subscribed(app, new_tenant):
    """subscribed(status="active") → (tenant, subscription id)."""
    def make(status="trialing", **fields):
        tenant = new_tenant()
        return tenant, subscribe(app, tenant, status, **fields)
    return make


def load(subscription_id) -> Subscription:
    return db.session.get(Subscription, subscription_id)


def small_plan(app, seats=None, records=None, storage_mb=None, features=None) -> str:
    """A committed, unlisted paid plan with tiny limits (None = unlimited) and the given features
    (None: every built one); returns its key."""
    import secrets
    from decimal import Decimal

    from billing.features import built_features
    from billing.models import Plan, PlanPrice

    if features is None:
        features = [feature.key for feature in built_features()]
    key = f"tiny-{secrets.token_hex(4)}"
    with app.app_context():
        db.session.add(Plan(key=key, name="Tiny", public=False, seat_limit=seats, record_limit=records,
                            storage_limit_mb=storage_mb, features=features,
                            prices=[PlanPrice(currency="CNY", interval="month", amount=Decimal("9.00"))]))
        db.session.commit()
    return key


def on_small_plan(app, tenant, **limits) -> int:
    """Put tenant on an active subscription of a new small_plan(**limits) (limits may include
    features=[...]); returns the subscription id."""
    return subscribe(app, tenant, "active", plan_key=small_plan(app, **limits))
