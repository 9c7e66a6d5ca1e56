"""Writing mail into the outbox, in the caller's transaction; the admin's retry and discard.

A row written here leaves after the transaction commits (the delivery of the rows
just written is queued as an after-commit job: inline without Redis, on RQ with it)
and, if that fails, on the scheduler ("mail.outbox") with backoff. A rollback takes
the row with it, so mail about a change that was not saved never leaves.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.auth.models import User
from app.extensions import db
from app.i18n import N_
from app.jobs import enqueue_after_commit
from app.mail.message import build_message, header_text, with_footer
from app.mail.models import OutboxMail, PublicOutboxMail
from app.pagination import KeysetPage, keyset_page
from app.scheduler import wake_at
from tenants.context import current_tenant

HANDLER = "mail.outbox"
_WRITTEN = "kehu_mail_written"  # session.info: {tenant id or None: [outbox ids]} of this transaction
PAGE_SIZE = 50


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def outbox_model():
    """The current tenant's outbox, or the public one outside any tenant."""
    return OutboxMail if current_tenant() is not None else PublicOutboxMail


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the attempts-th failure: doubling from MAIL_RETRY_SECONDS."""
    config = current_app.config
    seconds = config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


def give_up_at(start: datetime) -> datetime:
    return start + timedelta(hours=current_app.config["MAIL_GIVE_UP_HOURS"])


def write(to: str, subject: str, text: str, html: str | None = None, attachments: tuple = (), *,
          sender_id: int | None = None, customer_id: int | None = None,
          contact_id: int | None = None, ref: tuple[str, int] | None = None,
          note: str | None = None):
    """Put one message in the outbox; log it on the customer's/contact's timeline if it concerns one.

    sender_id: the user who sends it (Reply-To, signature); ref: (type, id) of the record
    the mail is about (a quote), for the timeline entry; note: that entry's text.
    """
    tenant = current_tenant()
    sender = db.session.get(User, sender_id) if sender_id is not None and tenant else None
    message = build_message(to, subject, *with_footer(text, html, sender.signature if sender else None),
                            attachments=attachments, reply_to=sender.email if sender else None)
    moment = utcnow()
    row = outbox_model()(to_address=message["To"], subject=header_text(subject, 300),
                         message=message.as_bytes(), status="pending", attempts=0, created_at=moment,
                         next_attempt_at=moment, give_up_at=give_up_at(moment))
    if tenant is not None:
        if contact_id is not None and customer_id is None:
            customer_id = _customer_of(contact_id)
        row.user_id, row.customer_id, row.contact_id = (sender.id if sender else None,
                                                        customer_id, contact_id)
    db.session.add(row)
    db.session.flush()
    deliver_after_commit(row.id)
    if tenant is not None:
        # Should this process die between the commit and the delivery, the scheduler sends it.
        wake_at(HANDLER, moment + retry_delay(1))
        if customer_id is not None or contact_id is not None:
            _log_on_timeline(row, ref, note)
    return message


def _customer_of(contact_id: int) -> int | None:
    from app.contacts.models import Contact  # CRM modules stay out of what billing imports

    return db.session.scalar(sa.select(Contact.customer_id).where(Contact.id == contact_id))


def _log_on_timeline(row: OutboxMail, ref: tuple[str, int] | None, note: str | None) -> None:
    """The customer's (and contact's) e-mail log: one "email" entry per message about them."""
    from app.timeline.services import add_entry

    from app.records import is_record_type

    # Stored as an event: each reader sees "E-mail to …" in their own language.
    add_entry(customer_id=row.customer_id, contact_id=row.contact_id, kind="email",
              user_id=row.user_id, body=note or None,
              event=(N_("E-mail to %(to)s: %(subject)s"),
                     {"to": row.to_address, "subject": row.subject}),
              subject=ref if ref and is_record_type(ref[0]) else None,
              ref_type=ref[0] if ref else None, ref_id=ref[1] if ref else None)


def deliver_after_commit(mail_id: int) -> None:
    """Deliver mail_id once this transaction commits: one job per tenant and transaction."""
    tenant = current_tenant()
    written = db.session().info.setdefault(_WRITTEN, {})
    key = tenant.id if tenant is not None else None
    if key not in written:
        written[key] = []
        # The job holds this very list: ids added later in the transaction go along.
        enqueue_after_commit("app.mail.delivery.deliver_written", key, written[key])
    written[key].append(mail_id)


@event.listens_for(Session, "after_commit")
def _forget_written(session):
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_WRITTEN, None)


def failed_and_waiting(status: str, before: int | None) -> KeysetPage:
    """One page of the tenant's outbox with that status, newest first (the admin's list)."""
    stmt = sa.select(OutboxMail).where(OutboxMail.status == status)
    return keyset_page(db.session, stmt, OutboxMail.id, before, PAGE_SIZE)


def counts() -> dict[str, int]:
    rows = db.session.execute(sa.select(OutboxMail.status, sa.func.count())
                              .where(OutboxMail.status.in_(("pending", "failed")))
                              .group_by(OutboxMail.status))
    return {"pending": 0, "failed": 0, **dict(rows.all())}


def _locked(mail_id: int) -> OutboxMail | None:
    return db.session.scalars(sa.select(OutboxMail).where(OutboxMail.id == mail_id)
                              .with_for_update()).first()


def retry(mail_id: int) -> OutboxMail | None:
    """Send a failed (or waiting) message again now, with a fresh round of attempts.
    None when there is no such message; unchanged when it left or was discarded meanwhile."""
    row = _locked(mail_id)
    if row is None or row.status not in ("failed", "pending"):
        return row
    moment = utcnow()
    row.status, row.attempts, row.next_attempt_at = "pending", 0, moment
    row.give_up_at = give_up_at(moment)
    db.session.flush()
    deliver_after_commit(row.id)
    return row


def discard(mail_id: int) -> OutboxMail | None:
    """Never send it. The row stays, as a record of what was not sent."""
    row = _locked(mail_id)
    if row is not None and row.status in ("failed", "pending"):
        row.status = "discarded"
        db.session.flush()
    return row
