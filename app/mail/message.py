"""Building the message that goes into the outbox: sender, headers, signature, footer.

From is the deployment's address (MAIL_DEFAULT_SENDER) under the tenant's name (its
"Mail sender name", else the workspace's name), so mail passes the domain's SPF/DKIM
while the reader sees who writes. Reply-To is the user who sends, when one does.
Every header value that may come from a user is cleaned of line breaks first: a
display name with CR/LF in it could otherwise add headers of its own (a Bcc).
"""
import re
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from markupsafe import escape

from app.branding.models import Branding
from app.extensions import db
from tenants.context import current_tenant
from tenants.models import Tenant

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def header_text(value: str, limit: int = 200) -> str:
    """value on one line: control characters (CR, LF, NUL, tabs) become single spaces."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


def checked_address(address: str) -> str:
    """A bare address fit for a header, or ValueError (the forms validate it before)."""
    address = (address or "").strip()
    if not address or _CONTROL.search(address) or parseaddr(address)[1] != address or "@" not in address:
        raise ValueError(f"not a single e-mail address: {address!r}")
    return address


def sender_address() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def sender_name() -> str:
    """The tenant's mail sender name, else its workspace name; the deployment's outside a tenant."""
    tenant = current_tenant()
    if tenant is None:
        return header_text(parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[0])
    branding = db.session.get(Branding, 1)
    name = branding.mail_sender_name if branding is not None else ""
    if not header_text(name):
        name = db.session.scalar(sa.select(Tenant.name).where(Tenant.id == tenant.id)) or ""
    return header_text(name, 100)


def message_id_domain() -> str:
    config = current_app.config
    return config.get("MAIL_MESSAGE_ID_DOMAIN") or urlsplit(config["BASE_URL"]).hostname or "localhost"


def with_footer(text: str, html: str | None, signature: str | None = None) -> tuple[str, str | None]:
    """Append the sender's signature and the current tenant's e-mail footer (branding)."""
    footer_of = current_app.extensions.get("mail_footer")
    footer = footer_of() if footer_of else None
    closing = "\n\n".join(part.strip() for part in (signature, footer) if part and part.strip())
    if not closing:
        return text, html
    text = f"{text.rstrip()}\n\n-- \n{closing}\n"
    if html:
        html += "<hr>" + "".join(f"<p>{'<br>'.join(escape(line) for line in part.splitlines())}</p>"
                                 for part in closing.split("\n\n"))
    return text, html


def build_message(to: str, subject: str, text: str, html: str | None = None,
                  attachments: tuple = (), reply_to: str | None = None) -> EmailMessage:
    """attachments: (bytes, filename, "maintype/subtype") each."""
    message = EmailMessage()
    message["From"] = formataddr((sender_name(), sender_address()))
    message["To"] = checked_address(to)
    if reply_to:
        message["Reply-To"] = checked_address(reply_to)
    message["Subject"] = header_text(subject, 300)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=message_id_domain())
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for data, filename, mimetype in attachments:
        maintype, subtype = mimetype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message
