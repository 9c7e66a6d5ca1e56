"""Uploading, previewing, downloading and removing attachments of customers and contacts."""
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import storage
from app.access.permissions import requires
from app.attachments import services
from app.attachments.files import OPAQUE
from app.attachments.models import Attachment
from app.extensions import db
from billing.limits import LimitReached

bp = Blueprint("attachments", __name__, url_prefix="/attachments")


def _back(customer_id, contact_id):
    if customer_id:
        return url_for("workspace.customers.show", customer_id=customer_id)
    return url_for("workspace.contacts.show", contact_id=contact_id)


def _owner_visible(customer_id, contact_id) -> None:
    """The record the file belongs to must be one this user may see."""
    if customer_id:
        from app.customers.views import load_visible
        load_visible(customer_id)
    elif contact_id:
        from app.contacts.views import load_visible
        load_visible(contact_id)
    else:
        abort(404)


@bp.post("/")
@requires("customers", "edit")
def upload():
    customer_id = request.form.get("customer_id", type=int)
    contact_id = request.form.get("contact_id", type=int)
    _owner_visible(customer_id, contact_id)
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a file to attach."), "danger")
        return redirect(_back(customer_id, contact_id))
    try:
        services.attach(file.read(), file.filename, customer_id=customer_id,
                        contact_id=contact_id, user_id=current_user.id)
        flash(_("%(name)s attached.", name=file.filename), "success")
    except (services.AttachmentError, LimitReached) as error:
        flash(str(error), "danger")
    return redirect(_back(customer_id, contact_id))


def _load(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    _owner_visible(attachment.customer_id, attachment.contact_id)
    return attachment


@bp.get("/<int:attachment_id>")
@requires("customers", "view")
def download(attachment_id):
    attachment = _load(attachment_id)
    inline = request.args.get("inline") == "1" and attachment.content_type != OPAQUE
    disposition = "inline" if inline else "attachment"
    return Response(storage.load(attachment.storage_key), mimetype=attachment.content_type,
                    headers={
                        "Content-Disposition": f"{disposition}; filename*=UTF-8''"
                                               + _quote(attachment.filename),
                        "X-Content-Type-Options": "nosniff",
                        "Content-Security-Policy": "default-src 'none'; sandbox",
                        "Cache-Control": "private, max-age=3600",
                    })


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@bp.post("/<int:attachment_id>/delete")
@requires("customers", "edit")
def delete(attachment_id):
    attachment = _load(attachment_id)
    services.remove(attachment)
    flash(_("%(name)s removed.", name=attachment.filename), "success")
    return redirect(_back(attachment.customer_id, attachment.contact_id))
