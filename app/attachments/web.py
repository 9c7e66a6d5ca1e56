"""The request side of attachments, shared by every page that has them (customers, contacts,
competitors): taking an upload, serving a file safely, removing one. Each blueprint checks its
own permission and that the record is one the user may see, then calls these."""
from urllib.parse import quote

from flask import Response, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from app import storage
from app.attachments import services
from app.attachments.files import OPAQUE
from app.attachments.models import Attachment
from app.downloads import handed_out
from app.lists.page import flash_limit
from billing.limits import LimitReached


def take_upload(**owner: int | None) -> None:
    """Attach the form's `file` to the record named by owner (customer_id=…, competitor_id=…);
    the outcome is flashed. A refusal saves nothing."""
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a file to attach."), "danger")
        return
    try:
        services.attach(file.read(), file.filename, user_id=current_user.id, **owner)
    except services.AttachmentError as error:
        flash(str(error), "danger")
    except LimitReached as limit:
        flash_limit(limit)
    except storage.StorageFull:
        flash(_("The file could not be stored: the server's disk is full. Nothing was saved; "
                "please try again later or tell your administrator."), "danger")
    else:
        flash(_("%(name)s attached.", name=file.filename), "success")


def file_response(attachment: Attachment) -> Response:
    """The file as a download, or shown in the browser (?inline=1) when it really is an image
    or a PDF. The headers stop the browser from guessing another type or running anything in it."""
    inline = request.args.get("inline") == "1" and attachment.content_type != OPAQUE
    handed_out("attachment", attachment.filename)
    disposition = "inline" if inline else "attachment"
    return Response(storage.load(attachment.storage_key), mimetype=attachment.content_type,
                    headers={
                        "Content-Disposition": f"{disposition}; filename*=UTF-8''"
                                               + quote(attachment.filename, safe=""),
                        "X-Content-Type-Options": "nosniff",
                        "Content-Security-Policy": "default-src 'none'; sandbox",
                        "Cache-Control": "private, max-age=3600",
                    })


def take_removal(attachment: Attachment) -> None:
    services.remove(attachment)
    flash(_("%(name)s removed.", name=attachment.filename), "success")
