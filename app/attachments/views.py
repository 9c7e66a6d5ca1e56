"""Uploading, previewing, downloading and removing attachments of customers and contacts.

Competitors' files have their own routes (app/competitors/attachments.py) under the sales
permission; these routes refuse them like any file without a customer or contact.
"""
from flask import Blueprint, abort, redirect, request, url_for

from app.access.permissions import requires
from app.access.visibility import editable_or_403, visible_or_404
from app.attachments.models import Attachment
from app.contacts.models import Contact
from app.customers.models import Customer
from app.attachments.web import file_response, take_removal, take_upload
from app.extensions import db

bp = Blueprint("attachments", __name__, url_prefix="/attachments")


def _back(customer_id, contact_id):
    if customer_id:
        return url_for("workspace.customers.show", customer_id=customer_id)
    return url_for("workspace.contacts.show", contact_id=contact_id)


def _owner_visible(customer_id, contact_id, edit: bool = False) -> None:
    """The record the file belongs to must be one this user may see (to change its files:
    may change)."""
    if not customer_id and not contact_id:
        abort(404)
    load = editable_or_403 if edit else visible_or_404
    # Both are checked: a form naming a visible customer and a hidden contact is refused.
    if customer_id:
        load(Customer, customer_id)
    if contact_id:
        load(Contact, contact_id)


@bp.post("/")
@requires("customers", "edit")
def upload():
    customer_id = request.form.get("customer_id", type=int)
    contact_id = request.form.get("contact_id", type=int)
    _owner_visible(customer_id, contact_id, edit=True)
    take_upload(customer_id=customer_id, contact_id=contact_id)
    return redirect(_back(customer_id, contact_id))


def _load(attachment_id: int, edit: bool = False) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    _owner_visible(attachment.customer_id, attachment.contact_id, edit)
    return attachment


@bp.get("/<int:attachment_id>")
@requires("customers", "view")
def download(attachment_id):
    return file_response(_load(attachment_id))


@bp.post("/<int:attachment_id>/delete")
@requires("customers", "edit")
def delete(attachment_id):
    attachment = _load(attachment_id, edit=True)
    take_removal(attachment)
    return redirect(_back(attachment.customer_id, attachment.contact_id))
