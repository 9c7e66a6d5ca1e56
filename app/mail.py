"""Outgoing mail: real SMTP when MAIL_SERVER is set, otherwise .eml files in instance/mail/.

Both roads build the same EmailMessage, so what lands in the sink is what an
SMTP server would have received.

When the SMTP server cannot be reached (down, refusing connections, answering
4xx), the message is kept in the outbox (MAIL_OUTBOX_DIR, one .eml file each)
and the user's action goes on: an invitation is still made, a quote still
sent. The outbox is delivered by the next send that reaches the server and by
`flask mail deliver` (run it from cron or a timer). A permanent refusal (5xx)
still fails the action, as before. This is the minimal outbox: local files of
one app server, no per-message log or give-up time yet.
"""
import email
import email.policy
import logging
import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from markupsafe import escape

log = logging.getLogger(__name__)
# Queued messages a successful send delivers on its way (the rest wait for the next one).
DELIVER_ON_SEND = 10


def build_message(to: str, subject: str, text: str, html: str | None = None,
                  attachments: tuple = ()) -> EmailMessage:
    """attachments: (bytes, filename, "maintype/subtype") each."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="kehu.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for data, filename, mimetype in attachments:
        maintype, subtype = mimetype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def with_footer(text: str, html: str | None) -> tuple[str, str | None]:
    """Append the current tenant's e-mail footer (branding), if it has one."""
    footer_of = current_app.extensions.get("mail_footer")
    footer = footer_of() if footer_of else None
    if not footer:
        return text, html
    text = f"{text.rstrip()}\n\n-- \n{footer}\n"
    if html:
        html = f"{html}<hr><p>{'<br>'.join(escape(line) for line in footer.splitlines())}</p>"
    return text, html


def send(to: str, subject: str, text: str, html: str | None = None,
         attachments: tuple = ()) -> EmailMessage:
    message = build_message(to, subject, *with_footer(text, html), attachments=attachments)
    config = current_app.config
    if not config["MAIL_SERVER"]:
        _write(Path(config["MAIL_SINK_DIR"]), to, message)
        return message
    try:
        _deliver([message])
    except Exception as error:
        if not _transient(error):
            raise
        log.warning("SMTP unavailable, mail to %s kept in the outbox: %s", to, error)
        _write(_outbox(), to, message)
    else:
        deliver_queued(limit=DELIVER_ON_SEND)
    return message


def send_after_commit(to: str, subject: str, text: str, html: str | None = None) -> None:
    """send() once the current transaction commits (nothing on rollback): mail about a change
    leaves only when the change is saved, and a refused address is logged, never undoes it."""
    from app.jobs import enqueue_after_commit

    enqueue_after_commit("app.mail.send", to, subject, text, html)


def deliver_queued(limit: int | None = None) -> int:
    """Send what the outbox holds, oldest first; stops at the first transient failure."""
    files = sorted(_outbox().glob("*.eml"))[:limit]
    sent = 0
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        try:
            _deliver([message])
        except Exception as error:
            if not _transient(error):
                raise
            log.warning("SMTP still unavailable, %d mail(s) wait in the outbox: %s",
                        len(files) - sent, error)
            break
        path.unlink()
        sent += 1
    return sent


def _deliver(messages) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for message in messages:
            smtp.send_message(message)


def _transient(error: Exception) -> bool:
    """Worth trying again later: no connection, a dropped one, or a 4xx answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # refused, timed out, disconnected (SMTPException too)


def _outbox() -> Path:
    return Path(current_app.config["MAIL_OUTBOX_DIR"])


def _write(directory: Path, to: str, message: EmailMessage) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{to.replace('@', '_at_')}.eml"
    (directory / name).write_bytes(message.as_bytes())


mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("deliver")
def deliver_command():
    """Send the mail kept in the outbox while the SMTP server was unavailable."""
    sent = deliver_queued()
    left = len(list(_outbox().glob("*.eml")))
    click.echo(f"{sent} sent, {left} waiting.")
    if left:
        raise SystemExit(1)
