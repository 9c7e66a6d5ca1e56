"""The admin's view of outgoing mail: what failed or still waits, with Retry and Discard."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.mail import outbox
from app.tenant_admin import admin_required

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")

TABS = {"failed": _l("Failed"), "pending": _l("Waiting"), "sent": _l("Sent"),
        "discarded": _l("Discarded")}


@bp.get("/")
@admin_required
def index():
    status = request.args.get("status", "failed")
    if status not in TABS:
        abort(404)
    page = outbox.failed_and_waiting(status, request.args.get("before", type=int))
    return render_template("mail/outbox.html", page=page, status=status, tabs=TABS,
                           counts=outbox.counts())


@bp.post("/<int:mail_id>/retry")
@admin_required
def retry(mail_id):
    row = outbox.retry(mail_id)
    if row is None:
        abort(404)
    if row.status == "pending":
        flash(_("The message to %(to)s is being sent again.", to=row.to_address), "success")
    else:
        flash(_("The message to %(to)s was already sent or discarded.", to=row.to_address), "info")
    return _back()


@bp.post("/<int:mail_id>/discard")
@admin_required
def discard(mail_id):
    row = outbox.discard(mail_id)
    if row is None:
        abort(404)
    if row.status == "discarded":
        flash(_("The message to %(to)s will not be sent.", to=row.to_address), "success")
    else:
        flash(_("The message to %(to)s was already sent.", to=row.to_address), "info")
    return _back()


def _back():
    """To the tab the button was on."""
    status = request.form.get("status", "failed")
    return redirect(url_for("workspace.mail.index", status=status if status in TABS else "failed"))
