"""The outbox without an SMTP server: the .eml sink, the transaction, headers, the timeline, retries."""
import email
import email.policy
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import mail
from app.auth.models import User
from app.branding.models import Branding
from app.extensions import db
from app.mail.delivery import deliver
from app.mail.models import OutboxMail, PublicOutboxMail
from app.mail.outbox import utcnow
from app.quotes import workflow
from app.quotes.services import LineEntry
from app.timeline.models import TimelineEntry
from tests.conftest import owner_id
from tests.mailbox import latest_mail, mail_count
from tests.sales.conftest import customer, product
from tests.sales.test_quotes import quote_for


def _message(app, to):
    sink = Path(app.config["MAIL_SINK_DIR"])
    [path] = sorted(sink.glob(f"*-{to.replace('@', '_at_')}.eml"))[-1:]
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_mail_leaves_only_when_the_change_is_committed(app, scope):
    mail.send("rolled-back@example.com", "Never", "This change is undone.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
    assert mail_count(app, "rolled-back@example.com") == 0

    mail.send_after_commit("kept@example.com", "Kept", "This change is saved.")
    assert mail_count(app, "kept@example.com") == 0  # not before the commit
    db.session.commit()
    assert latest_mail(app, "kept@example.com").startswith("This change is saved.")
    row = db.session.scalars(sa.select(OutboxMail)).one()
    assert (row.status, row.attempts) == ("sent", 1)


def test_mail_outside_a_tenant_goes_through_the_public_outbox(app, app_ctx):
    mail.send("public@example.com", "Sign-up", "Welcome.")
    db.session.commit()
    row = db.session.scalars(sa.select(PublicOutboxMail).where(
        PublicOutboxMail.to_address == "public@example.com")).one()
    assert row.status == "sent" and mail_count(app, "public@example.com") == 1
    message = _message(app, "public@example.com")
    assert message["From"].addresses[0].display_name == "Kehu CRM"


def test_sender_name_address_and_message_id(app, scope, monkeypatch):
    mail.send("a@example.com", "Hello", "Body")
    db.session.commit()
    message = _message(app, "a@example.com")
    sender = message["From"].addresses[0]
    assert sender.display_name == scope.slug.title()  # the workspace's name by default
    assert sender.addr_spec == "no-reply@kehu.local"  # the deployment's address
    assert message["Message-ID"].endswith("@127.0.0.1>")  # BASE_URL's host
    assert message["Reply-To"] is None  # nobody in particular sends it

    db.session.add(Branding(id=1, mail_sender_name="连天红家具 销售部"))
    monkeypatch.setitem(app.config, "MAIL_MESSAGE_ID_DOMAIN", "mail.kehu.example")
    mail.send("b@example.com", "Hello", "Body")
    db.session.commit()
    message = _message(app, "b@example.com")
    assert message["From"].addresses[0].display_name == "连天红家具 销售部"
    assert message["Message-ID"].endswith("@mail.kehu.example>")


def test_line_breaks_in_a_sender_name_or_subject_add_no_header(app, scope):
    db.session.add(Branding(id=1, mail_sender_name="Acme\r\nBcc: spy@evil.example"))
    mail.send("c@example.com", "Offer\r\nBcc: spy@evil.example", "Body")
    db.session.commit()
    raw = next(Path(app.config["MAIL_SINK_DIR"]).glob("*-c_at_example.com.eml")).read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Bcc"] is None and b"\nBcc:" not in raw
    assert message["From"].addresses[0].display_name == "Acme Bcc: spy@evil.example"
    assert message["Subject"] == "Offer Bcc: spy@evil.example"
    with pytest.raises(ValueError):
        mail.send("d@example.com\r\nBcc: spy@evil.example", "Hi", "Body")


def test_the_branding_form_refuses_a_sender_name_of_two_lines(app, tenant, owner_client):
    url = f"/t/{tenant.slug}/admin/branding"
    form = {"primary_color": "#1f5fa8", "mail_sender_name": "Acme\r\nBcc: spy@evil.example"}
    refused = owner_client.post(url, data=form)
    assert refused.status_code == 422 and "Use one line of text." in refused.get_data(as_text=True)
    assert owner_client.post(url, data={**form, "mail_sender_name": "Acme Sales"}).status_code == 302
    assert 'value="Acme Sales"' in owner_client.get(url).get_data(as_text=True)


def test_a_quote_mail_replies_to_its_sender_carries_the_signature_and_is_logged(app, scope):
    me = db.session.get(User, owner_id())
    me.signature = "王经理\n销售部 138 0000 0000"
    product("SOFA-1", price="1000")
    buyer = customer()
    quote = quote_for(buyer, LineEntry("SOFA-1", D("1")))
    workflow.submit(quote, me.id)
    workflow.send(quote, "buyer@huaxia.example", "请查收", me.id)
    db.session.commit()
    message = _message(app, "buyer@huaxia.example")
    assert message["Reply-To"] == me.email
    assert "-- \n王经理\n销售部 138 0000 0000" in message.get_body(("plain",)).get_content()
    [entry] = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.kind == "email")).all()
    assert entry.customer_id == buyer.id and entry.user_id == me.id and entry.body == "请查收"
    assert "buyer@huaxia.example" in entry.title and (entry.ref_type, entry.ref_id) == ("quote", quote.id)
    row = db.session.scalars(sa.select(OutboxMail)).one()  # the customer's e-mail log
    assert (row.customer_id, row.user_id, row.status) == (buyer.id, me.id, "sent")


def test_mail_about_a_contact_is_logged_on_the_contact_and_its_customer(app, scope):
    from app.contacts.models import Contact

    buyer = customer()
    contact = Contact(customer_id=buyer.id, name="李雷", email="li@huaxia.example")
    db.session.add(contact)
    db.session.flush()
    mail.send(contact.email, "Catalogue", "Our new catalogue.", contact_id=contact.id,
              sender_id=owner_id())
    entry = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.kind == "email")).one()
    assert (entry.customer_id, entry.contact_id) == (buyer.id, contact.id)
    assert entry.title == "E-mail to li@huaxia.example: Catalogue"


def test_a_failing_sink_retries_with_backoff_then_gives_up(app, scope, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the sink folder should be")  # writing fails: an OSError
    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(blocked))
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    mail.send("later@example.com", "Hello", "Body")
    db.session.commit()  # the after-commit delivery fails: the commit stands
    row = db.session.scalars(sa.select(OutboxMail)).one()
    first_try = row.next_attempt_at
    assert (row.status, row.attempts) == ("pending", 1) and "Error" in row.last_error
    assert deliver(now=first_try - timedelta(seconds=1)).tried == 0  # not due yet
    assert deliver(now=first_try).retrying == 1
    assert row.attempts == 2 and row.next_attempt_at == first_try + timedelta(seconds=120)  # doubled
    assert deliver(now=row.next_attempt_at).failed == 1  # the third attempt is the last
    assert row.status == "failed"


def test_a_message_waiting_past_the_give_up_time_fails(app, scope, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(blocked))
    mail.send("late@example.com", "Hello", "Body")
    db.session.commit()
    row = db.session.scalars(sa.select(OutboxMail)).one()
    assert row.give_up_at - row.created_at == timedelta(hours=48)
    assert deliver(now=row.give_up_at + timedelta(seconds=1)).failed == 1
    assert row.status == "failed" and row.attempts == 2

    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(tmp_path / "sink"))
    assert deliver(now=utcnow()).tried == 0  # failed mail waits for the admin, not for the scheduler


def test_the_signature_set_on_the_profile_page_signs_the_mail_the_user_sends(app, tenant, owner_client):
    from app.access.models import Role
    from tenants.context import tenant_scope

    profile = owner_client.get(f"/t/{tenant.slug}/profile").get_data(as_text=True)
    assert 'name="signature"' in profile
    saved = owner_client.post(f"/t/{tenant.slug}/profile", data={
        "name": "Owner", "phone": "", "locale": "", "time_zone": "", "signature": "Mei Chen\nHead of sales"})
    assert saved.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        role = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
    owner_client.post(f"/t/{tenant.slug}/admin/users/invite",
                      data={"email": "newcomer@example.com", "role": role, "unit": 0})
    message = _message(app, "newcomer@example.com")
    assert message["Reply-To"] == f"owner@{tenant.slug}.example"
    assert message.get_body(("plain",)).get_content().rstrip().endswith("-- \nMei Chen\nHead of sales")


def test_public_mail_that_failed_is_delivered_by_the_scheduler(app, app_ctx, monkeypatch, tmp_path):
    """Sign-up and billing mail has no tenant to wake: the tick's public handler sends it."""
    from app.scheduler.tick import tick

    sink = app.config["MAIL_SINK_DIR"]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the sink folder should be")
    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(blocked))
    mail.send("signup-later@example.com", "Confirm your address", "Click.")
    db.session.commit()
    row = db.session.scalars(sa.select(PublicOutboxMail).where(
        PublicOutboxMail.to_address == "signup-later@example.com")).one()
    assert row.status == "pending"  # the first try failed
    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", sink)
    tick(now=row.next_attempt_at, names=["mail.public_outbox"])
    db.session.expire_all()
    assert db.session.get(PublicOutboxMail, row.id).status == "sent"
    assert mail_count(app, "signup-later@example.com") == 1
