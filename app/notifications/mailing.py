"""Notification e-mail: written in the reader's language, sent once the change commits."""
from flask import current_app, render_template
from flask_babel import force_locale

from app import mail
from app.links import external_url
from app.records import record_type
from tenants.context import current_tenant


def _language_of(user) -> str:
    tenant = current_tenant()
    return user.locale or (tenant.locale if tenant is not None else None) \
        or current_app.config["BABEL_DEFAULT_LOCALE"]


def mail_notification(user, event: str, msgid: str, params: dict, subject) -> None:
    from app.notifications.services import PAGES, render

    tenant = current_tenant()
    with force_locale(_language_of(user)):
        text = render(msgid, params)
        if subject is not None:
            kind = record_type(subject[0])
            link = external_url(kind.endpoint, **{kind.id_arg: subject[1]}, tenant_slug=tenant.slug)
        else:
            link = external_url(PAGES.get(event, "workspace.notifications.index"),
                                tenant_slug=tenant.slug)
        body = render_template("notifications/mail.txt", user=user, text=text, link=link)
        mail.send_after_commit(user.email, " ".join(text.split())[:200], body)
