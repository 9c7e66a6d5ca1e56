"""Outgoing mail, through the outbox.

`send(to, subject, text, …)` writes the message into the outbox table in the
caller's transaction (the tenant's own `mail_outbox`, or `public.mail_outbox` outside
any tenant) and returns at once; it leaves after the commit, and is retried with
backoff while the SMTP server is unavailable (app/mail/delivery.py). So a user's
action never fails because mail cannot leave, and a rolled-back action sends nothing.
`send_after_commit` is the same call, the name modules used when delivery was not yet
tied to the commit.

Keyword arguments: `sender_id` (the user who sends: Reply-To, signature),
`customer_id`/`contact_id` (whom it concerns: logged on their timeline and kept as
their e-mail log), `ref=(type, id)` of the record it is about and `note` (the
timeline entry's text).
"""
from app.mail import delivery as _delivery  # noqa: F401  (registers the "mail.outbox" due work)
from app.mail.message import build_message, with_footer  # noqa: F401  (part of the API)
from app.mail.outbox import write


def send(to: str, subject: str, text: str, html: str | None = None, attachments: tuple = (),
         **about):
    """Put the message in the outbox; it leaves once the current transaction commits."""
    return write(to, subject, text, html, attachments, **about)


def send_after_commit(to: str, subject: str, text: str, html: str | None = None, **about) -> None:
    """The same as send(): every message waits for the commit of the change that causes it."""
    send(to, subject, text, html, **about)
