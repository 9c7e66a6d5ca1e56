"""Attaching, listing, reading and removing documents."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import storage
from app.attachments.files import MAX_BYTES, safe_filename, sniff
from app.attachments.models import Attachment
from app.extensions import db
from billing import limits
from app.timeline.services import add_entry


class AttachmentError(ValueError):
    pass


def attach(data: bytes, filename: str, *, customer_id: int | None = None,
           contact_id: int | None = None, competitor_id: int | None = None,
           user_id: int | None) -> Attachment:
    """Store a file for one record; billing.limits.LimitReached when storage is full."""
    if not data:
        raise AttachmentError(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise AttachmentError(_l("Files can be at most 20 MB."))
    limits.check("storage_bytes", len(data))
    attachment = Attachment(customer_id=customer_id, contact_id=contact_id,
                            competitor_id=competitor_id, filename=safe_filename(filename),
                            content_type=sniff(data), size=len(data),
                            storage_key=storage.save("attachments", data), uploaded_by_id=user_id)
    db.session.add(attachment)
    db.session.flush()
    # Only customers and contacts have a timeline; a competitor's file is only on its page.
    if customer_id is not None or contact_id is not None:
        add_entry(customer_id=customer_id, contact_id=contact_id, kind="attachment",
                  title=attachment.filename, user_id=user_id, ref_type="attachment",
                  ref_id=attachment.id)
    return attachment


def attachments_of(*, customer_id: int | None = None, contact_id: int | None = None,
                   competitor_id: int | None = None) -> list[Attachment]:
    query = sa.select(Attachment).where(Attachment.deleted_at.is_(None))
    if customer_id is not None:
        query = query.where(Attachment.customer_id == customer_id)
    if contact_id is not None:
        query = query.where(Attachment.contact_id == contact_id)
    if competitor_id is not None:
        query = query.where(Attachment.competitor_id == competitor_id)
    return list(db.session.scalars(query.order_by(Attachment.created_at.desc())))


def remove(attachment: Attachment) -> None:
    """Hidden at once; the bytes are deleted so they stop counting against storage."""
    attachment.deleted_at = sa.func.now()
    storage.delete(attachment.storage_key)
