"""The subscription state machine: every pair of statuses, allowed or refused, table-driven."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import time_machine

from app.config import load_config
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


RETENTION = timedelta(days=90)  # docs/BILLING.md: a purge cannot be undone, so to the microsecond
CANCELED_AT = datetime(2033, 2, 1, 12, 0, tzinfo=timezone.utc)


def test_the_retention_period_is_ninety_days_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("BILLING_RETENTION_DAYS", raising=False)
    assert load_config(tmp_path)["BILLING_RETENTION_DAYS"] == 90


@pytest.mark.parametrize("moment, purged", [
    (CANCELED_AT + timedelta(days=9), False),
    (CANCELED_AT + RETENTION - timedelta(days=1), False),
    (CANCELED_AT + RETENTION - timedelta(microseconds=1), False),
    (CANCELED_AT + RETENTION, True),
    (CANCELED_AT + RETENTION + timedelta(days=1), True),
], ids=["day-9", "day-89", "last-microsecond", "day-90", "day-91"])
def test_purge_is_refused_until_the_exact_end_of_retention(app, app_ctx, subscribed, moment, purged):
    tenant, sub_id = subscribed("canceled", canceled_at=CANCELED_AT, export_offered_at=CANCELED_AT)
    with time_machine.travel(moment, tick=False):
        if purged:
            transition(load(sub_id), "purged", actor="system:purge")
        else:
            with pytest.raises(IllegalTransition, match="retention"):
                transition(load(sub_id), "purged", actor="system:purge")
    db.session.commit()
    assert load(sub_id).status == ("purged" if purged else "canceled")
    assert (db.session.get(Tenant, tenant.id) is None) == purged


def test_canceling_ends_a_scheduled_cancellation_and_stamps_the_time(app, app_ctx, subscribed):
    _tenant, sub_id = subscribed("active", cancel_at_period_end=True)
    with time_machine.travel(CANCELED_AT, tick=False):
        transition(load(sub_id), "canceled", actor="test")
    db.session.commit()
    subscription = load(sub_id)
    assert (subscription.status, subscription.canceled_at, subscription.cancel_at_period_end) == (
        "canceled", CANCELED_AT, False)


@pytest.mark.parametrize("from_status", ["past_due", "suspended"])
def test_reactivation_clears_the_unpaid_since_date(app, app_ctx, subscribed, from_status):
    _tenant, sub_id = subscribed("active")
    with time_machine.travel(CANCELED_AT, tick=False):
        transition(load(sub_id), "past_due", actor="test")
        assert load(sub_id).past_due_since == CANCELED_AT
        if from_status == "suspended":
            transition(load(sub_id), "suspended", actor="test")
            assert load(sub_id).past_due_since == CANCELED_AT  # still counting while suspended
        transition(load(sub_id), "active", actor="test", reason="paid")
    db.session.commit()
    assert (load(sub_id).status, load(sub_id).past_due_since) == ("active", None)


def test_refusals_say_exactly_why_to_the_staff_who_read_them(app, app_ctx, subscribed):
    """The console shows these sentences to provider staff as they are."""
    _tenant, sub_id = subscribed("canceled", canceled_at=now() - timedelta(days=5))
    with pytest.raises(IllegalTransition) as refused:
        transition(load(sub_id), "purged", actor="test")
    assert str(refused.value) == "cannot purge: no data export has been offered to the tenant yet"
    load(sub_id).export_offered_at = now()
    with pytest.raises(IllegalTransition) as refused:
        transition(load(sub_id), "purged", actor="test")
    assert str(refused.value) == "cannot purge: the retention period has not ended"
    with pytest.raises(IllegalTransition) as refused:
        transition(load(sub_id), "active", actor="test")
    assert str(refused.value) == "canceled → active is not allowed"


def test_a_move_without_a_reason_records_none(app_ctx, subscribed):
    _tenant, sub_id = subscribed("active")
    transition(load(sub_id), "past_due", actor="system:dunning")
    db.session.commit()
    last = db.session.scalars(sa.select(SubscriptionTransition).where(
        SubscriptionTransition.subscription_id == sub_id).order_by(SubscriptionTransition.id.desc())
    ).first()
    assert last.reason == ""


def test_long_actors_and_reasons_are_cut_to_what_the_history_holds(app_ctx, subscribed):
    from billing.states import record_start

    _tenant, sub_id = subscribed("active")
    subscription = load(sub_id)
    record_start(subscription, actor="a" * 300, reason="r" * 900)
    transition(subscription, "past_due", actor="b" * 300, reason="s" * 900)
    db.session.commit()
    rows = db.session.scalars(sa.select(SubscriptionTransition).where(
        SubscriptionTransition.subscription_id == sub_id).order_by(SubscriptionTransition.id.desc())
    ).all()[:2]
    assert [(len(row.actor), len(row.reason)) for row in rows] == [(120, 500), (120, 500)]
    assert rows[0].actor == "b" * 120 and rows[1].reason == "r" * 500
