"""The subscription state machine: every pair of statuses, allowed or refused, table-driven."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from billing.clock import now
from billing.models import SUBSCRIPTION_STATUSES, SubscriptionTransition
from billing.states import ALLOWED, IllegalTransition, transition
from tenants.models import Tenant
from tests.billing.conftest import load

LEGAL = [
    ("trialing", "active"), ("trialing", "past_due"), ("trialing", "canceled"),
    ("active", "past_due"), ("active", "canceled"),
    ("past_due", "active"), ("past_due", "suspended"), ("past_due", "canceled"),
    ("suspended", "active"), ("suspended", "canceled"),
    ("canceled", "purged"),
]
ILLEGAL = [
    (a, b) for a in SUBSCRIPTION_STATUSES for b in SUBSCRIPTION_STATUSES
    if (a, b) not in LEGAL and a != "purged"
]
TENANT_STATUS = {"active": "active", "past_due": "active", "suspended": "suspended",
                 "canceled": "canceled"}


def test_the_table_is_exactly_the_documented_machine():
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == set(LEGAL)


@pytest.mark.parametrize("from_status,to_status", [p for p in LEGAL if p[1] != "purged"])
def test_legal_moves_are_applied_recorded_and_reach_the_tenant(app_ctx, subscribed, from_status,
                                                                 to_status):
    tenant, sub_id = subscribed(from_status)
    subscription = load(sub_id)
    transition(subscription, to_status, actor="provider:ops@example.com", reason="test move")
    db.session.commit()
    assert load(sub_id).status == to_status
    last = db.session.scalars(sa.select(SubscriptionTransition).where(
        SubscriptionTransition.subscription_id == sub_id).order_by(SubscriptionTransition.id.desc())
    ).first()
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        from_status, to_status, "provider:ops@example.com", "test move")
    assert last.created_at is not None
    assert db.session.get(Tenant, tenant.id).status == TENANT_STATUS[to_status]


@pytest.mark.parametrize("from_status,to_status", ILLEGAL)
def test_illegal_moves_are_refused_and_change_nothing(app_ctx, subscribed, from_status, to_status):
    tenant, sub_id = subscribed(from_status)
    before = db.session.get(Tenant, tenant.id).status
    with pytest.raises(IllegalTransition):
        transition(load(sub_id), to_status, actor="test", reason="")
    db.session.rollback()
    assert load(sub_id).status == from_status
    assert db.session.get(Tenant, tenant.id).status == before


def test_purge_needs_an_export_offer_and_the_retention_period(app, app_ctx, subscribed):
    tenant, sub_id = subscribed("canceled", canceled_at=now() - timedelta(days=5))
    with pytest.raises(IllegalTransition, match="export"):
        transition(load(sub_id), "purged", actor="test")
    load(sub_id).export_offered_at = now()
    with pytest.raises(IllegalTransition, match="retention"):
        transition(load(sub_id), "purged", actor="test")
    load(sub_id).canceled_at = now() - timedelta(days=app.config["BILLING_RETENTION_DAYS"] + 1)
    transition(load(sub_id), "purged", actor="system:purge", reason="retention over")
    db.session.commit()
    assert load(sub_id).status == "purged" and load(sub_id).tenant_id is None
    assert db.session.get(Tenant, tenant.id) is None
    schema = db.session.execute(sa.text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"),
                                {"s": tenant.schema_name}).scalar()
    assert schema == 0
