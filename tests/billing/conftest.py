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
def subscribed(app, new_tenant):
    """subscribed(status="active") → (tenant, subscription id)."""
    def make(status="trialing", **fields):
        tenant = new_tenant()
        return tenant, subscribe(app, tenant, status, **fields)
    return make


def load(subscription_id) -> Subscription:
    return db.session.get(Subscription, subscription_id)
