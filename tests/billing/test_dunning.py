"""`flask billing run` with time travel: reminders, trial end, grace period, idempotent per day.

The run covers every subscription of the test database, so these tests look
at their own subscriptions, never at the run's totals.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine

from app.extensions import db
from billing.invoice_models import Invoice
from billing.models import BillingReminder
from tenants.models import Tenant
from tests.billing.conftest import load, subscribe

START = datetime(2031, 3, 1, 9, 0, tzinfo=timezone.utc)


def _run(app):
    result = app.test_cli_runner().invoke(args=["billing", "run"])
    assert result.exit_code == 0, result.output
    return result.output


def _reminders(sub_id):
    return db.session.scalars(sa.select(BillingReminder.kind).where(
        BillingReminder.subscription_id == sub_id).order_by(BillingReminder.id)).all()


def test_a_trial_that_is_not_paid_ends_in_suspension_and_payment_brings_it_back(app, app_ctx, new_tenant):
    tenant = new_tenant()
    with time_machine.travel(START, tick=False) as traveller:
        sub_id = subscribe(app, tenant, "trialing")
        traveller.move_to(START + timedelta(days=12))
        _run(app)
        _run(app)  # the same day again: nothing more
        db.session.expire_all()
        assert _reminders(sub_id) == ["trial_ending"]
        traveller.move_to(START + timedelta(days=14, hours=1))
        assert "trial_ended" in _run(app)
        db.session.expire_all()
        assert load(sub_id).status == "past_due"
        assert db.session.get(Tenant, tenant.id).status == "active"  # still usable while due
        invoice = db.session.scalars(sa.select(Invoice).where(Invoice.subscription_id == sub_id)).one()
        assert invoice.status == "open" and invoice.period_start == START + timedelta(days=14)
        traveller.move_to(START + timedelta(days=22))  # invoice overdue (7-day terms)
        _run(app)
        _run(app)
        db.session.expire_all()
        assert _reminders(sub_id) == ["trial_ending", "payment_due"]
        assert load(sub_id).status == "past_due"
        traveller.move_to(START + timedelta(days=14 + app.config["BILLING_GRACE_DAYS"], hours=2))
        _run(app)
        _run(app)
        db.session.expire_all()
        assert _reminders(sub_id) == ["trial_ending", "payment_due", "payment_due", "suspended"]
        assert load(sub_id).status == "suspended"
        assert db.session.get(Tenant, tenant.id).status == "suspended"
        from billing import invoices
        invoices.mark_paid(db.session.get(Invoice, invoice.id), method="bank_transfer", actor="provider:ops")
        db.session.commit()
        assert load(sub_id).status == "active" and db.session.get(Tenant, tenant.id).status == "active"


def test_renewal_cancellation_at_period_end_and_purge_after_retention(app, app_ctx, new_tenant):
    renewing, leaving = new_tenant(), new_tenant()
    with time_machine.travel(START, tick=False) as traveller:
        period = dict(current_period_start=START, current_period_end=START + timedelta(days=31))
        renew_id = subscribe(app, renewing, "active", **period)
        leave_id = subscribe(app, leaving, "active", cancel_at_period_end=True, **period)
        traveller.move_to(START + timedelta(days=31, hours=1))
        _run(app)
        _run(app)
        db.session.expire_all()
        renewal = db.session.scalars(sa.select(Invoice).where(Invoice.subscription_id == renew_id)).all()
        assert len(renewal) == 1 and renewal[0].period_start == START + timedelta(days=31)
        assert load(leave_id).status == "canceled" and load(leave_id).export_offered_at is not None
        assert db.session.get(Tenant, leaving.id).status == "canceled"
        traveller.move_to(START + timedelta(days=31 + app.config["BILLING_RETENTION_DAYS"] + 1))
        _run(app)
        db.session.expire_all()
        assert load(leave_id).status == "purged" and db.session.get(Tenant, leaving.id) is None
