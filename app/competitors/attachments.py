"""Files on a competitor profile (brochures, price lists, datasheets), under the sales permission.

The generic /attachments routes check the customers permission and refuse these files.
"""
import sqlalchemy as sa
from flask import abort, redirect, url_for

from app.access.permissions import requires
from app.attachments.models import Attachment
from app.attachments.web import file_response, take_removal, take_upload
from app.competitors.models import Competitor
from app.competitors.blueprint import bp
from app.extensions import db


def _back(competitor_id: int):
    return redirect(url_for("workspace.competitors.show", competitor_id=competitor_id))


def _load(competitor_id: int, attachment_id: int) -> Attachment:
    attachment = db.session.scalar(sa.select(Attachment).where(
        Attachment.id == attachment_id, Attachment.competitor_id == competitor_id,
        Attachment.deleted_at.is_(None)))
    return attachment or abort(404)


@bp.post("/<int:competitor_id>/attachments")
@requires("sales", "edit")
def upload_attachment(competitor_id):
    competitor = db.session.get(Competitor, competitor_id) or abort(404)
    take_upload(competitor_id=competitor.id)
    return _back(competitor.id)


@bp.get("/<int:competitor_id>/attachments/<int:attachment_id>")
@requires("sales", "view")
def attachment(competitor_id, attachment_id):
    return file_response(_load(competitor_id, attachment_id))


@bp.post("/<int:competitor_id>/attachments/<int:attachment_id>/delete")
@requires("sales", "edit")
def remove_attachment(competitor_id, attachment_id):
    take_removal(_load(competitor_id, attachment_id))
    return _back(competitor_id)
