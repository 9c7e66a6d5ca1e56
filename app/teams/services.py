"""Adding people to a record's team and sharing a record with a unit. Flush, never commit.

Who may change a team: the record's owner, a manager of the owner's unit or of a
unit above it, or an admin. Everyone who sees the record sees its team.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import insert

from app.access.permissions import can
from app.access.visibility import forget_opened_records
from app.access.teams import SHARE_ACCESS, TEAM_ROLES, TEAM_TYPES, RecordShare, TeamMember
from app.approvals.services import managers_above
from app.auth.models import User
from app.extensions import db
from app.org.models import Unit


class TeamError(ValueError):
    """A team or share change that is refused; the message is for the user."""


def may_manage_team(record, user) -> bool:
    """The owner, a manager above the owner, or an admin."""
    if can(user, "admin", "admin") or record.owner_id == user.id:
        return True
    if record.owner_id is None:
        return False
    owner = db.session.get(User, record.owner_id)
    return owner is not None and user.id in managers_above(owner.unit_id, owner.id)


def team_of(record_type: str, record_id: int) -> list[tuple[TeamMember, User]]:
    return db.session.execute(
        sa.select(TeamMember, User).join(User, User.id == TeamMember.user_id)
        .where(TeamMember.record_type == record_type, TeamMember.record_id == record_id)
        .order_by(User.name)).all()


def shares_of(record_type: str, record_id: int) -> list[tuple[RecordShare, Unit]]:
    return db.session.execute(
        sa.select(RecordShare, Unit).join(Unit, Unit.id == RecordShare.unit_id)
        .where(RecordShare.record_type == record_type, RecordShare.record_id == record_id)
        .order_by(Unit.name)).all()


def add_member(record_type: str, record, user_id: int, role: str, actor_id: int) -> None:
    """Add (or give a new role to) a member; the owner is on the team already."""
    forget_opened_records()
    _check_type(record_type)
    if role not in TEAM_ROLES:
        raise TeamError(_l("Choose one of the team roles."))
    member = db.session.get(User, user_id)
    if member is None or not member.active:
        raise TeamError(_l("Choose an active user of this workspace."))
    if member.id == record.owner_id:
        raise TeamError(_l("The owner is on the team already."))
    db.session.execute(insert(TeamMember).values(
        record_type=record_type, record_id=record.id, user_id=member.id, role=role,
        added_by_id=actor_id).on_conflict_do_update(
        constraint="uq_record_team_members_one_membership", set_={"role": role}))


def remove_member(record_type: str, record, user_id: int) -> bool:
    forget_opened_records()
    result = db.session.execute(sa.delete(TeamMember).where(
        TeamMember.record_type == record_type, TeamMember.record_id == record.id,
        TeamMember.user_id == user_id))
    return result.rowcount > 0


def share(record_type: str, record, unit_id: int, access: str, actor_id: int) -> None:
    """Share with a unit (or change what the unit may do)."""
    forget_opened_records()
    _check_type(record_type)
    if access not in SHARE_ACCESS:
        raise TeamError(_l("Choose read, or read and edit."))
    if db.session.get(Unit, unit_id) is None:
        raise TeamError(_l("Choose a unit of this workspace."))
    db.session.execute(insert(RecordShare).values(
        record_type=record_type, record_id=record.id, unit_id=unit_id, access=access,
        shared_by_id=actor_id).on_conflict_do_update(
        constraint="uq_record_shares_one_share", set_={"access": access}))


def unshare(record_type: str, record, unit_id: int) -> bool:
    forget_opened_records()
    result = db.session.execute(sa.delete(RecordShare).where(
        RecordShare.record_type == record_type, RecordShare.record_id == record.id,
        RecordShare.unit_id == unit_id))
    return result.rowcount > 0


def move_customer_teams(keep_id: int, duplicate_id: int) -> None:
    """A merge hands the duplicate's team and shares to the customer kept (no repeats)."""
    forget_opened_records()
    for model in (TeamMember, RecordShare):
        columns = [c.name for c in model.__table__.columns if c.name not in ("id", "record_id")]
        rows = sa.select(sa.literal(keep_id), *[model.__table__.c[c] for c in columns]).where(
            model.record_type == "customer", model.record_id == duplicate_id)
        db.session.execute(insert(model).from_select(["record_id", *columns], rows)
                           .on_conflict_do_nothing())
        db.session.execute(sa.delete(model).where(
            model.record_type == "customer", model.record_id == duplicate_id))


def _check_type(record_type: str) -> None:
    if record_type not in TEAM_TYPES:
        raise TeamError(_l("This kind of record has no team."))
