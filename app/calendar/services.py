"""Meetings and visits: saving them (with every check on who and what they name),
cancelling, marking held, and reading a user's calendar for a range of time.

Services flush and never commit (app/transactions.py)."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access.visibility import visible_to
from app.auth.models import User
from app.calendar.models import MEETING_KINDS, Meeting, MeetingAttendee
from app.contacts.models import Contact
from app.extensions import db
from app.org.tree import subtree_ids
from app.records import find_record, is_record_type, record_type
from app.scheduler import wake_at
from app.timeline.services import add_entry

MAX_ATTENDEES = 100
MAX_REMIND_MINUTES = 60 * 24 * 28  # four weeks before
# Record types a meeting may be about (a meeting about a meeting names nothing useful).
RELATED_TYPES = ("customer", "contact", "opportunity", "quote", "order", "task")
REMINDER_HANDLER = "calendar.reminders"


class MeetingError(ValueError):
    """A value the user must change; `field` names the form field it belongs to."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


@dataclass
class MeetingInput:
    title: str
    kind: str
    starts_at: datetime      # aware
    ends_at: datetime        # aware
    all_day: bool = False
    location: str | None = None
    notes: str | None = None
    related_type: str | None = None
    related_id: int | None = None
    user_ids: tuple[int, ...] = ()
    contact_ids: tuple[int, ...] = ()
    remind_minutes: int | None = None


def save_meeting(meeting: Meeting | None, data: MeetingInput, actor: User) -> Meeting:
    """Create (meeting None) or change a meeting after checking everything it names."""
    if data.kind not in MEETING_KINDS:
        raise MeetingError("kind", _l("Choose meeting, visit or call."))
    if data.ends_at < data.starts_at:
        raise MeetingError("ends_on", _l("The end is before the start."))
    if data.remind_minutes is not None and not 0 <= data.remind_minutes <= MAX_REMIND_MINUTES:
        raise MeetingError("remind_minutes", _l("Between 0 and 40320 minutes (four weeks)."))
    user_ids, contact_ids = set(data.user_ids), set(data.contact_ids)
    if len(user_ids) + len(contact_ids) > MAX_ATTENDEES:
        raise MeetingError("user_ids", _l("At most %(count)d attendees.", count=MAX_ATTENDEES))
    customer_id = _related_customer(meeting, data, actor)
    _check_users(user_ids)
    _check_contacts(meeting, contact_ids, customer_id, actor)

    if meeting is None:
        meeting = Meeting(owner_id=actor.id, unit_id=actor.unit_id)
        db.session.add(meeting)
    old_remind_at = meeting.remind_at
    for name in ("title", "kind", "starts_at", "ends_at", "all_day", "location", "notes",
                 "related_type", "related_id", "remind_minutes"):
        setattr(meeting, name, getattr(data, name))
    meeting.customer_id = customer_id
    meeting.remind_at = (data.starts_at - timedelta(minutes=data.remind_minutes)
                         if data.remind_minutes is not None else None)
    if meeting.remind_at != old_remind_at:
        meeting.reminded_at = None  # moved: remind again at the new time
    if meeting.remind_at is not None and data.starts_at <= datetime.now(timezone.utc):
        meeting.reminded_at = meeting.remind_at  # entered after the fact: nothing to remind of
    _set_attendees(meeting, user_ids, contact_ids)
    db.session.flush()
    if meeting.remind_at is not None and meeting.reminded_at is None:
        wake_at(REMINDER_HANDLER, meeting.remind_at)
    return meeting


def _related_customer(meeting, data: MeetingInput, actor) -> int | None:
    """The customer of the related record; a record the actor may not see names nothing
    (unless the meeting being edited already names it)."""
    if not data.related_type:
        data.related_id = None
        return None
    if data.related_type not in RELATED_TYPES or not is_record_type(data.related_type):
        raise MeetingError("related_type", _l("Choose what the meeting is about."))
    if data.related_id is None:
        raise MeetingError("related_id", _l("Enter the number of the record."))
    kept = (meeting is not None and meeting.related_type == data.related_type
            and meeting.related_id == data.related_id)
    if kept:
        return meeting.customer_id
    record = find_record(data.related_type, data.related_id, actor)
    if record is None:
        raise MeetingError("related_id", _l("No record of this kind has this number."))
    return record_type(data.related_type).customer_id(record)


def _check_users(user_ids: set[int]) -> None:
    if not user_ids:
        return
    found = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.id.in_(user_ids), User.active))
    if found != len(user_ids):
        raise MeetingError("user_ids", _l("Invite active users of this workspace only."))


def _check_contacts(meeting, contact_ids: set[int], customer_id, actor) -> None:
    """Contacts invited must be the related customer's and visible to the actor; contacts
    the meeting already has stay (a colleague who cannot see them may still edit it)."""
    already = {a.contact_id for a in meeting.attendees if a.contact_id} if meeting else set()
    new = contact_ids - already
    if not new:
        return
    if customer_id is None:
        raise MeetingError("contact_ids", _l("Relate the meeting to a customer to invite its contacts."))
    found = db.session.scalar(sa.select(sa.func.count()).select_from(Contact).where(
        Contact.id.in_(new), Contact.customer_id == customer_id, Contact.deleted_at.is_(None),
        visible_to(actor, Contact)))
    if found != len(new):
        raise MeetingError("contact_ids", _l("Invite contacts of the related customer only."))


def _set_attendees(meeting: Meeting, user_ids: set[int], contact_ids: set[int]) -> None:
    keep = [a for a in meeting.attendees
            if (a.user_id in user_ids) or (a.contact_id in contact_ids)]
    present_users = {a.user_id for a in keep if a.user_id}
    present_contacts = {a.contact_id for a in keep if a.contact_id}
    meeting.attendees = keep + [MeetingAttendee(user_id=uid) for uid in sorted(user_ids - present_users)] + [
        MeetingAttendee(contact_id=cid) for cid in sorted(contact_ids - present_contacts)]


def cancel_meeting(meeting: Meeting) -> bool:
    """Cancel once (a second click changes nothing); a canceled meeting sends no reminder."""
    if meeting.canceled_at is not None:
        return False
    meeting.canceled_at = datetime.now(timezone.utc)
    db.session.flush()
    return True


def mark_held(meeting: Meeting, outcome: str | None, actor: User) -> bool:
    """Record that the meeting or visit took place, with its outcome on the timeline of the
    related customer. Claimed with one UPDATE so a double click adds one entry."""
    now = datetime.now(timezone.utc)
    claimed = db.session.execute(
        sa.update(Meeting).where(Meeting.id == meeting.id, Meeting.held_at.is_(None),
                                 Meeting.canceled_at.is_(None))
        .values(held_at=now, outcome=outcome).returning(Meeting.id)).scalar()
    db.session.refresh(meeting)
    if claimed is None:
        return False
    if meeting.customer_id is not None:
        label = {"visit": _l("Visit held: %(title)s", title=meeting.title),
                 "call": _l("Call held: %(title)s", title=meeting.title)}.get(
            meeting.kind, _l("Meeting held: %(title)s", title=meeting.title))
        contact_id = meeting.related_id if meeting.related_type == "contact" else None
        add_entry(customer_id=meeting.customer_id, contact_id=contact_id, kind="meeting",
                  title=str(label), body=outcome, user_id=actor.id, ref_type="meeting",
                  ref_id=meeting.id, occurred_at=meeting.starts_at)
    return True


# --- reading ---------------------------------------------------------------------------

def attends(user_id: int) -> sa.ColumnElement[bool]:
    """The meetings user_id organizes or is invited to."""
    return sa.or_(Meeting.owner_id == user_id, Meeting.id.in_(
        sa.select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user_id)))


def attended_between(user_id: int, start: datetime, end: datetime) -> sa.CompoundSelect:
    """Ids of the meetings user_id organizes or attends overlapping [start, end): two index
    range scans (organizer by start; invitations, then meetings by id) joined by UNION, where
    one OR over both would read every meeting that starts before `end`."""
    overlaps = (Meeting.starts_at < end, sa.or_(Meeting.ends_at > start, Meeting.starts_at >= start))
    organized = sa.select(Meeting.id).where(Meeting.owner_id == user_id, *overlaps)
    invited = sa.select(MeetingAttendee.meeting_id).join(
        Meeting, Meeting.id == MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user_id, *overlaps)
    return sa.union(organized, invited)


def may_see(viewer: User) -> sa.ColumnElement[bool]:
    return sa.or_(visible_to(viewer, Meeting), attends(viewer.id))


def find_meeting(meeting_id: int, viewer: User) -> Meeting | None:
    """A live meeting the viewer may see (by visibility, or as an attendee)."""
    return db.session.scalar(sa.select(Meeting).where(
        Meeting.id == meeting_id, Meeting.deleted_at.is_(None), may_see(viewer)))


def meetings_between(member_id: int, viewer: User, start: datetime, end: datetime,
                     include_canceled: bool = False) -> list[Meeting]:
    """member_id's meetings overlapping [start, end) that the viewer may see, by start."""
    query = sa.select(Meeting).where(
        Meeting.id.in_(attended_between(member_id, start, end)), Meeting.deleted_at.is_(None))
    if member_id != viewer.id:
        query = query.where(may_see(viewer))
    if not include_canceled:
        query = query.where(Meeting.canceled_at.is_(None))
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def team_members(viewer: User) -> list[tuple[int, str]]:
    """The active users whose calendar the viewer may open: themselves, their unit (or
    unit and below) per their role's visibility, everyone with "all"."""
    query = sa.select(User.id, User.name).where(User.active)
    visibility = viewer.role.visibility
    if visibility == "own" or (visibility != "all" and viewer.unit_id is None):
        query = query.where(User.id == viewer.id)
    elif visibility == "unit":
        query = query.where(sa.or_(User.id == viewer.id, User.unit_id == viewer.unit_id))
    elif visibility == "unit_tree":
        query = query.where(sa.or_(User.id == viewer.id, User.unit_id.in_(subtree_ids(viewer.unit_id))))
    return [tuple(row) for row in db.session.execute(query.order_by(User.name))]


def attendee_names(meeting: Meeting) -> tuple[list[str], list[str]]:
    user_ids = [a.user_id for a in meeting.attendees if a.user_id]
    contact_ids = [a.contact_id for a in meeting.attendees if a.contact_id]
    users = db.session.scalars(sa.select(User.name).where(User.id.in_(user_ids)).order_by(User.name)).all()
    contacts = db.session.scalars(sa.select(Contact.name).where(Contact.id.in_(contact_ids))
                                  .order_by(Contact.name)).all()
    return list(users), list(contacts)
