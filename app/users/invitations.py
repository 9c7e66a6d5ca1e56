"""Inviting users by e-mail: invite, resend, revoke, accept. Flush, never commit."""
import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _, lazy_gettext as _l

from app import mail
from app.access.models import Role
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.services import find_user_by_email
from app.auth.tokens import read_token, sign
from app.extensions import db
from app.links import external_url
from app.users.models import Invitation
from app.users.seats import check_invitation_seat, check_seat
from billing.limits import LimitReached
from tenants.context import require_tenant

PURPOSE = "invitation"


class InvitationError(ValueError):
    """An invitation that cannot be made or used; the message is for the user."""


def pending_invitation(email: str) -> Invitation | None:
    return db.session.scalars(sa.select(Invitation).where(
        sa.func.lower(Invitation.email) == email.strip().lower(), Invitation.status == "pending",
    )).first()


def _check_invitable(email: str) -> None:
    if find_user_by_email(email) is not None:
        raise InvitationError(_l("%(email)s already has an account in this workspace.", email=email))
    if pending_invitation(email) is not None:
        raise InvitationError(_l("%(email)s has already been invited. Resend that invitation instead.",
                                 email=email))
    check_seat()  # billing.limits.LimitReached: the view shows it with an upgrade link


def invite(email: str, role: Role, unit_id: int | None, invited_by: User) -> Invitation:
    """A pending invitation for email, and the e-mail with its link (LimitReached: no seat left)."""
    email = email.strip().lower()
    _check_invitable(email)
    invitation = Invitation(email=email, role_id=role.id, unit_id=unit_id,
                            invited_by_id=invited_by.id, status="pending", version=1)
    invitation.role = role
    db.session.add(invitation)
    db.session.flush()
    _send(invitation, invited_by)
    return invitation


def resend(invitation: Invitation, sender: User) -> None:
    """A new link for a pending invitation; the earlier link stops working."""
    if invitation.status != "pending":
        raise InvitationError(_l("Only a pending invitation can be sent again."))
    invitation.version += 1
    invitation.sent_at = sa.func.now()
    db.session.flush()
    _send(invitation, sender)


def revoke(invitation: Invitation) -> None:
    if invitation.status != "pending":
        raise InvitationError(_l("Only a pending invitation can be revoked."))
    invitation.status = "revoked"
    invitation.version += 1
    db.session.flush()


def invitation_link(invitation: Invitation) -> str:
    token = sign(PURPOSE, require_tenant().id, invitation.id, invitation.version)
    return external_url("workspace.auth.accept_invitation", token=token)


def _send(invitation: Invitation, sender: User) -> None:
    text = render_template("users/mail_invitation.txt", sender=sender, link=invitation_link(invitation))
    mail.send(invitation.email, _("You are invited to Kehu CRM"), text, sender_id=sender.id)


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation a link names, or None if expired, used, revoked or foreign."""
    found = read_token(PURPOSE, token, current_app.config["INVITATION_MAX_AGE_S"])
    if found is None or found[0] != require_tenant().id:
        return None
    invitation = db.session.get(Invitation, found[1])
    if invitation is None or invitation.status != "pending" or invitation.version != found[2]:
        return None
    return invitation


def accept(invitation: Invitation, name: str, password: str) -> User:
    """The invitee's account, made from the invitation with the name and password they chose."""
    if find_user_by_email(invitation.email) is not None:
        raise InvitationError(_l("This address already has an account. Log in instead."))
    try:
        check_invitation_seat()
    except LimitReached:
        raise InvitationError(_l("Your team has no free user seat for you right now. "
                                 "Ask your administrator to free a seat, then use this link again.")) from None
    user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password),
                role_id=invitation.role_id, unit_id=invitation.unit_id)
    db.session.add(user)
    invitation.status = "accepted"
    invitation.version += 1
    db.session.flush()
    return user
