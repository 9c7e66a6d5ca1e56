"""Money paths run at the same moment: a double click on "invoice me" and two billing runs
issue one invoice; one refused address neither stops the run nor makes a rerun mail twice."""
import smtplib
from datetime import timedelta

import sqlalchemy as sa

from app.mail.delivery import Transport
from app.mail.models import PublicOutboxMail
from app.extensions import db
from billing import invoices
from billing.clock import now
from billing.invoice_models import Invoice
from billing.jobs import daily_run
from billing.models import BillingReminder
from tests.billing.conftest import load, subscribe
from tests.billing.stripe_helpers import at_once
from tests.conftest import login
from tests.mailbox import mail_count


def _open_invoices(sub_id):
    db.session.expire_all()
    return db.session.scalars(sa.select(Invoice).where(
        Invoice.subscription_id == sub_id, Invoice.status == "open")).all()


def test_a_double_click_on_invoice_me_issues_one_invoice(app, app_ctx, tenant):
    sub_id = subscribe(app, tenant, "trialing")
    for _ in range(10):
        responses = at_once(app, *[lambda c: c.post(f"/t/{tenant.slug}/billing/pay")] * 2,
                            prepare=lambda c: login(c, tenant))
        assert [r.status_code for r in responses] == [302, 302]
        issued = _open_invoices(sub_id)
        assert len(issued) == 1
        assert responses[0].location == responses[1].location  # both clicks land on that invoice
        invoices.void(issued[0])  # the next round starts without an open invoice
        db.session.commit()


def _run_in_own_context(app):
    with app.app_context():  # its own session and database connection, as a second process has
        return daily_run()


def test_two_billing_runs_at_once_issue_one_renewal(app, app_ctx, tenant):
    sub_id = subscribe(app, tenant, "active", current_period_start=now() - timedelta(days=31),
                       current_period_end=now() - timedelta(hours=1))
    at_once(app, lambda _c: _run_in_own_context(app), lambda _c: _run_in_own_context(app))
    issued = _open_invoices(sub_id)
    assert len(issued) == 1 and issued[0].period_start == load(sub_id).current_period_end


def test_a_refused_address_does_not_stop_the_run_and_a_rerun_mails_nobody_twice(app, app_ctx, new_tenant, monkeypatch):
    real_send = Transport.send

    def send(transport, to, data):
        if to.startswith("refused@"):
            raise smtplib.SMTPRecipientsRefused({to: (550, b"mailbox unavailable")})
        return real_send(transport, to, data)

    monkeypatch.setattr(Transport, "send", send)
    good, refused = new_tenant(), new_tenant()
    ends = now() + timedelta(days=2)
    good_id = subscribe(app, good, "trialing", trial_ends_at=ends)
    refused_id = subscribe(app, refused, "trialing", trial_ends_at=ends,
                           billing_email=f"refused@{refused.slug}.example")
    later = new_tenant()
    later_id = subscribe(app, later, "trialing", trial_ends_at=ends)
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["billing", "run"])
        assert result.exit_code == 0, result.output
    assert mail_count(app, f"owner@{good.slug}.example") == 1
    assert mail_count(app, f"owner@{later.slug}.example") == 1  # after the refused one, still mailed
    db.session.expire_all()
    reminded = db.session.scalars(sa.select(BillingReminder.subscription_id).where(
        BillingReminder.subscription_id.in_([good_id, refused_id, later_id]))).all()
    assert sorted(reminded) == sorted([good_id, refused_id, later_id])
    refused_mail = db.session.scalars(sa.select(PublicOutboxMail).where(
        PublicOutboxMail.to_address == f"refused@{refused.slug}.example")).one()  # once, not twice
    assert refused_mail.status == "failed" and "550 mailbox unavailable" in refused_mail.last_error
