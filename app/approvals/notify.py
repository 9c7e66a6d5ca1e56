"""Telling approvers that something waits for them: an e-mail each (the in-app list is
`pending_for`). Mail goes out with the request's transaction still open; a failure to
send is logged, never a reason to lose the request."""
import logging

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from app import mail
from app.approvals.registry import DOCUMENT_TYPES
from app.auth.models import User
from app.extensions import db
from app.links import external_url
from tenants.context import require_tenant

log = logging.getLogger(__name__)


def approvers_of(request) -> list[User]:
    if request.approver_id is not None:
        users = [db.session.get(User, request.approver_id)]
    else:
        users = db.session.scalars(sa.select(User).where(
            User.role_id == request.approver_role_id, User.active)).all()
    return [u for u in users if u is not None and u.active]


def notify_approvers(requests) -> None:
    for request in requests:
        title, _url = DOCUMENT_TYPES[request.document_type].describe(request.document_id)
        link = external_url("workspace.approvals.index", tenant_slug=require_tenant().slug)
        for user in approvers_of(request):
            text = render_template("approvals/mail_request.txt", user=user, title=title,
                                   reason=request.reason, link=link)
            try:
                mail.send(user.email, _("Waiting for your approval: %(title)s", title=title), text)
            except OSError:
                log.exception("approval mail to %s failed", user.email)
