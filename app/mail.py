"""Outgoing mail: real SMTP when MAIL_SERVER is set, otherwise .eml files in instance/mail/.

Both roads build the same EmailMessage, so what lands in the sink is what an
SMTP server would have received.
"""
import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app
from markupsafe import escape


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
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        sink = Path(config["MAIL_SINK_DIR"])
        sink.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}-{to.replace('@', '_at_')}.eml"
        (sink / name).write_bytes(message.as_bytes())
    return message


def send_after_commit(to: str, subject: str, text: str, html: str | None = None) -> None:
    """send() once the current transaction commits (nothing on rollback): mail about a change
    leaves only when the change is saved, and a refused address is logged, never undoes it."""
    from app.jobs import enqueue_after_commit

    enqueue_after_commit("app.mail.send", to, subject, text, html)
