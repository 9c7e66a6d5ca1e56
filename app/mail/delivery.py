"""Delivering the outbox: real SMTP when MAIL_SERVER is set, otherwise .eml files in MAIL_SINK_DIR.

Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED and marked in the same
transaction as their attempt, so two deliverers (the after-commit job, the scheduler,
`flask mail deliver`, on any number of machines) never send one message twice: the
second skips what the first holds, and once the first commits the row is no longer
pending. A message is sent at least once, at most once per attempt; only a crash
between the SMTP server's "250" and our commit sends it again.

A transient failure (no connection, a dropped one, a 4xx answer, a full disk for the
sink) waits and is tried again, doubling the wait, until MAIL_MAX_ATTEMPTS attempts or
MAIL_GIVE_UP_HOURS have passed; a permanent refusal (5xx) fails at once. Failed rows
stay in the outbox for the admin (app/mail/views.py) to retry or discard.
"""
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.job_scope import job_scope
from app.mail.message import sender_address
from app.mail.outbox import HANDLER, outbox_model, retry_delay, utcnow
from app.scheduler import due_work, public_due_work, wake_at
from tenants.context import current_tenant

log = logging.getLogger(__name__)
BATCH = 100  # rows claimed (and locked) per transaction


@dataclass
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    last_id: int = 0  # the highest id tried: the next batch starts after it

    @property
    def tried(self) -> int:
        return self.sent + self.retrying + self.failed

    def add(self, other: "Delivered") -> None:
        self.sent, self.retrying, self.failed = (self.sent + other.sent, self.retrying + other.retrying,
                                                 self.failed + other.failed)
        self.last_id = max(self.last_id, other.last_id)


def deliver_written(tenant_id: int | None, ids: list[int]) -> None:
    """The after-commit job: deliver the rows a transaction of tenant_id (None: public) wrote."""
    for start in range(0, len(ids), BATCH):  # a batch per transaction: its locks stay few
        with job_scope(tenant_id, name="mail delivery"):
            deliver(ids=ids[start:start + BATCH])


def deliver(*, ids: list[int] | None = None, now: datetime | None = None,
            waiting_too: bool = False, after_id: int = 0, limit: int = BATCH) -> Delivered:
    """Try the pending rows named by ids, else those due at `now` (all pending with waiting_too)."""
    model, now = outbox_model(), now or utcnow()
    query = sa.select(model).where(model.status == "pending", model.id > after_id)
    if ids is not None:
        query = query.where(model.id.in_(ids))
    elif not waiting_too:
        query = query.where(model.next_attempt_at <= now)
    rows = db.session.scalars(query.order_by(model.id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
    result = Delivered()
    with Transport() as transport:
        for row in rows:
            _attempt(row, transport, now, result)
            result.last_id = row.id
    db.session.flush()
    if result.retrying and current_tenant() is not None:
        wake_at(HANDLER, next_due())
    return result


def deliver_all(now: datetime | None = None, waiting_too: bool = False) -> Delivered:
    """Batches of deliver() until nothing due is left (what the scheduler and the CLI run)."""
    total = Delivered()
    while True:
        result = deliver(now=now, waiting_too=waiting_too, after_id=total.last_id)
        total.add(result)
        if result.tried < BATCH:
            return total


@due_work(HANDLER)
def deliver_due(now: datetime) -> datetime | None:
    deliver_all(now)
    return next_due()


# Public mail (sign-up, billing) has no tenant to wake: the scheduler looks at its outbox
# at least every PUBLIC_POLL, and at once when a retry is due sooner.
PUBLIC_POLL = timedelta(minutes=2)


@public_due_work("mail.public_outbox")
def deliver_public_due(now: datetime) -> datetime | None:
    deliver_all(now)
    due = next_due()
    return min(due, now + PUBLIC_POLL) if due is not None else now + PUBLIC_POLL


def next_due() -> datetime | None:
    model = outbox_model()
    return db.session.scalar(sa.select(sa.func.min(model.next_attempt_at)).where(model.status == "pending"))


def waiting() -> int:
    model = outbox_model()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.status == "pending"))


def _attempt(row, transport: "Transport", now: datetime, result: Delivered) -> None:
    row.attempts += 1
    try:
        transport.send(row.to_address, row.message)
    except Exception as error:  # noqa: BLE001  (every failure is recorded on the row)
        row.last_error = describe(error)[:500]
        config = current_app.config
        if transient(error) and row.attempts < config["MAIL_MAX_ATTEMPTS"] and now < row.give_up_at:
            row.next_attempt_at = now + retry_delay(row.attempts)
            result.retrying += 1
            log.warning("mail %s to %s not delivered (attempt %d), trying again at %s: %s",
                        row.id, row.to_address, row.attempts, row.next_attempt_at, row.last_error)
        else:
            row.status = "failed"
            result.failed += 1
            log.error("mail %s to %s failed after %d attempt(s): %s",
                      row.id, row.to_address, row.attempts, row.last_error)
    else:
        row.status, row.sent_at, row.last_error = "sent", now, None
        result.sent += 1


def transient(error: Exception) -> bool:
    """Worth trying again later: no connection, a dropped one, or a 4xx answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # refused, timed out, disconnected (SMTPException too)


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {_text(message)}" for code, message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(message) -> str:
    return message.decode("utf8", "replace") if isinstance(message, bytes) else str(message)


class Transport:
    """One SMTP connection for a batch, opened on the first message; the sink without MAIL_SERVER.

    Once the connection cannot be made (or drops), the batch's other messages fail with
    the same error at once instead of waiting for a timeout each.
    """

    def __init__(self):
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None
        self.broken: Exception | None = None

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *_exc) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass  # the messages are sent or recorded as not; a failing goodbye changes nothing

    def send(self, to: str, data: bytes) -> None:
        if not self.config["MAIL_SERVER"]:
            write_sink(Path(self.config["MAIL_SINK_DIR"]), to, data)
            return
        if self.broken is not None:
            raise self.broken
        try:
            self._connection().sendmail(sender_address(), [to], data)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # the server answered: the connection serves the next message
        except Exception as error:
            self.broken, self.smtp = error, None
            raise

    def _connection(self) -> smtplib.SMTP:
        if self.smtp is None:
            config = self.config
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"])
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            self.smtp = smtp
        return self.smtp


def write_sink(directory: Path, to: str, data: bytes) -> None:
    """The development and test road: one .eml file per message (tests/mailbox.py reads them)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{time.time_ns()}-{to.replace('@', '_at_')}.eml").write_bytes(data)
