"""Telling approvers that something waits for them, through the notifications centre: in
the app and/or by e-mail as each approver chose for "approval_waiting" (by default both).

The notification names no record as its subject: an approver may decide on a document
they could not otherwise open, and must hear of it all the same; it links to the
approvals page, where the decision is made.
"""
import sqlalchemy as sa

from app.approvals.registry import DOCUMENT_TYPES
from app.auth.models import User
from app.extensions import db
from app.i18n import N_
from app.notifications import notify
from app.records import is_record_type, record_title, record_type


def approvers_of(request) -> list[User]:
    if request.approver_id is not None:
        users = [db.session.get(User, request.approver_id)]
    else:
        users = db.session.scalars(sa.select(User).where(
            User.role_id == request.approver_role_id, User.active)).all()
    return [u for u in users if u is not None and u.active]


def _title(request) -> str:
    """The document's own name (a quote number): the same in every language."""
    if is_record_type(request.document_type):
        record = db.session.get(record_type(request.document_type).model, request.document_id)
        if record is not None:
            return record_title(request.document_type, record)
    return DOCUMENT_TYPES[request.document_type].describe(request.document_id)[0]


def notify_approvers(requests) -> None:
    for request in requests:
        notify([user.id for user in approvers_of(request)], "approval_waiting",
               N_("Waiting for your approval: %(title)s"), {"title": _title(request)},
               actor_id=request.requested_by_id)
