"""Reminders, in each user's own time zone, through notify(..., "reminder", ...):

- meeting reminders, N minutes before the start (claimed once with UPDATE … SKIP LOCKED);
- each morning (08:00 local): deal follow-up dates, open deals without activity for N days,
  contact birthdays, customer reorder dates, quotes whose validity ends in N days.

A morning reminder fires once per occasion: a row in reminders_sent keyed by (kind,
record, occasion date) is inserted with ON CONFLICT DO NOTHING, and only the rows this
run inserted are notified, however many ticks run at once.
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from app.auth.models import User
from app.calendar.models import Meeting, MeetingAttendee, WorkSettings
from app.calendar.times import user_zone
from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from app.i18n import N_
from app.notifications import notify
from app.opportunities.models import Opportunity
from app.orders.models import Order
from app.quotes.models import Quote
from app.sales.models import PipelineStage
from app.scheduler import due_work
from app.timeline.models import TimelineEntry

MORNING = time(8, 0)
CLAIM_BATCH = 1000


def work_settings(for_update: bool = False) -> WorkSettings:
    """The workspace's reminder settings. Reading never writes (two ticks read at once);
    the row is made, once, when an admin first saves them."""
    if for_update:
        db.session.execute(insert(WorkSettings).values(id=1, stale_deal_days=14, quote_expiry_days=3)
                           .on_conflict_do_nothing())
    settings = db.session.get(WorkSettings, 1)
    return settings if settings is not None else WorkSettings(id=1, stale_deal_days=14,
                                                              quote_expiry_days=3)


# --- meetings --------------------------------------------------------------------------

@due_work("calendar.reminders")
def send_meeting_reminders(now: datetime) -> datetime | None:
    due = (sa.select(Meeting.id).where(
        Meeting.remind_at <= now, Meeting.reminded_at.is_(None), Meeting.canceled_at.is_(None),
        Meeting.deleted_at.is_(None)).order_by(Meeting.remind_at).limit(CLAIM_BATCH)
        .with_for_update(skip_locked=True))
    claimed = db.session.scalars(sa.update(Meeting).where(
        Meeting.id.in_(due.scalar_subquery()), Meeting.reminded_at.is_(None))
        .values(reminded_at=now).returning(Meeting.id)).all()
    if claimed:
        _notify_attendees(claimed)
    if len(claimed) == CLAIM_BATCH:
        return now  # more are due: run again at once
    return db.session.scalar(sa.select(sa.func.min(Meeting.remind_at)).where(
        Meeting.reminded_at.is_(None), Meeting.remind_at.is_not(None),
        Meeting.canceled_at.is_(None), Meeting.deleted_at.is_(None)))


def _notify_attendees(meeting_ids: list[int]) -> None:
    meetings = db.session.scalars(sa.select(Meeting).where(Meeting.id.in_(meeting_ids))).all()
    invited = defaultdict(set)
    for meeting_id, user_id in db.session.execute(sa.select(
            MeetingAttendee.meeting_id, MeetingAttendee.user_id).where(
            MeetingAttendee.meeting_id.in_(meeting_ids), MeetingAttendee.user_id.is_not(None))):
        invited[meeting_id].add(user_id)
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.active, User.id.in_(
        {m.owner_id for m in meetings} | {uid for ids in invited.values() for uid in ids})))}
    for meeting in meetings:
        for user_id in sorted(({meeting.owner_id} | invited[meeting.id]) & users.keys()):
            # The start as the reader's clock shows it (the zone is the reader's, not the job's).
            local = meeting.starts_at.astimezone(user_zone(users[user_id]))
            notify([user_id], "reminder", N_("%(title)s starts at %(time)s"),
                   {"title": meeting.title, "time": local.strftime("%Y-%m-%d %H:%M")},
                   subject=("meeting", meeting.id))


# --- mornings --------------------------------------------------------------------------

def users_by_local_day(now: datetime, at: time = MORNING) -> dict[date, list[int]]:
    """The active users whose local clock has passed `at`, grouped by their local day."""
    days = defaultdict(list)
    for user in db.session.scalars(sa.select(User).where(User.active)):
        local = now.astimezone(user_zone(user))
        if local.time() >= at:
            days[local.date()].append(user.id)
    return days


def next_local(now: datetime, at: time = MORNING) -> datetime:
    """The earliest moment after now when some active user's clock reaches `at`."""
    zones = {user_zone(u) for u in db.session.scalars(sa.select(User).where(User.active))}
    candidates = []
    for zone in zones or {user_zone(None)}:
        local = now.astimezone(zone)
        moment = datetime.combine(local.date(), at, tzinfo=zone)
        if moment <= local:
            moment = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
        candidates.append(moment.astimezone(timezone.utc))
    return min(candidates)


def _open_deals():
    """Open deals, only the columns a reminder needs (thousands of rows in a morning round)."""
    return (sa.select(Opportunity.id, Opportunity.name, Opportunity.next_step,
                      Opportunity.next_step_date, Opportunity.owner_id)
            .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
            .where(PipelineStage.outcome == "open", Opportunity.deleted_at.is_(None)))


def _follow_ups(today: date, owners: list[int], settings) -> list[tuple]:
    deals = db.session.execute(_open_deals().where(
        Opportunity.owner_id.in_(owners), Opportunity.next_step_date <= today))
    return [("next_step", d.id, d.next_step_date, d.owner_id,
             N_("Follow up on %(deal)s: %(step)s"), {"deal": d.name, "step": d.next_step or ""},
             ("opportunity", d.id)) for d in deals]


def last_activity():
    """Per deal: its latest timeline entry, or its last change when later."""
    latest_entry = (sa.select(sa.func.max(TimelineEntry.occurred_at)).where(
        TimelineEntry.subject_type == "opportunity", TimelineEntry.subject_id == Opportunity.id)
        .correlate(Opportunity).scalar_subquery())
    return sa.func.greatest(Opportunity.updated_at, sa.func.coalesce(latest_entry, Opportunity.updated_at))


def _stale_deals(today: date, owners: list[int], settings) -> list[tuple]:
    days = settings.stale_deal_days
    activity = last_activity().label("activity")
    rows = db.session.execute(_open_deals().add_columns(activity).where(
        Opportunity.owner_id.in_(owners),
        activity < datetime.combine(today - timedelta(days=days), time(0), tzinfo=timezone.utc)))
    # The occasion is the day of the last activity: new activity starts a new quiet spell.
    return [("stale_deal", d.id, d.activity.date(), d.owner_id,
             N_("No activity on %(deal)s for %(days)s days"), {"deal": d.name, "days": days},
             ("opportunity", d.id)) for d in rows]


def _birthdays(today: date, owners: list[int], settings) -> list[tuple]:
    owner = sa.func.coalesce(Contact.owner_id, Customer.owner_id)
    days = [(today.month, today.day)]
    if today.month == 2 and today.day == 28 and not _leap(today.year):
        days.append((2, 29))  # born on 29 February: remembered on the 28th
    same_day = sa.or_(*(sa.and_(sa.extract("month", Contact.birthday) == m,
                                sa.extract("day", Contact.birthday) == d) for m, d in days))
    rows = db.session.execute(sa.select(Contact, owner.label("owner")).outerjoin(
        Customer, Customer.id == Contact.customer_id).where(
        Contact.deleted_at.is_(None), Contact.birthday.is_not(None), owner.in_(owners), same_day))
    return [("birthday", c.id, today, owner_id, N_("%(contact)s has a birthday today"),
             {"contact": c.name}, ("contact", c.id)) for c, owner_id in rows]


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _reorders(today: date, owners: list[int], settings) -> list[tuple]:
    last_order = (sa.select(sa.func.max(Order.ordered_at)).where(
        Order.customer_id == Customer.id)
        .correlate(Customer).scalar_subquery()).label("last_order")
    rows = db.session.execute(sa.select(Customer, last_order).where(
        Customer.deleted_at.is_(None), Customer.merged_into_id.is_(None),
        Customer.reorder_interval_days.is_not(None), Customer.owner_id.in_(owners)))
    due = []
    for customer, ordered_at in rows:
        if ordered_at is None:
            continue
        when = ordered_at.date() + timedelta(days=customer.reorder_interval_days)
        if when <= today:
            due.append(("reorder", customer.id, when, customer.owner_id,
                        N_("%(customer)s usually reorders about now (last order %(date)s)"),
                        {"customer": customer.name, "date": ordered_at.date().isoformat()},
                        ("customer", customer.id)))
    return due


def _expiring_quotes(today: date, owners: list[int], settings) -> list[tuple]:
    quotes = db.session.scalars(sa.select(Quote).where(
        Quote.is_current, Quote.status.in_(("approved", "sent")), Quote.owner_id.in_(owners),
        Quote.valid_until >= today,
        Quote.valid_until <= today + timedelta(days=settings.quote_expiry_days)))
    return [("quote_expiry", q.id, q.valid_until, q.owner_id,
             N_("Quote %(quote)s is valid until %(date)s"),
             {"quote": q.number, "date": q.valid_until.isoformat()}, ("quote", q.id)) for q in quotes]


MORNING_KINDS = (_follow_ups, _stale_deals, _birthdays, _reorders, _expiring_quotes)


@due_work("calendar.morning")
def send_morning_reminders(now: datetime) -> datetime:
    settings = work_settings()
    for today, owners in users_by_local_day(now).items():
        for kind in MORNING_KINDS:
            candidates = kind(today, owners, settings)
            if candidates:
                _send_once(candidates)
    return next_local(now)


def _send_once(candidates: list[tuple]) -> int:
    """Insert one reminders_sent row per candidate; notify only those this run inserted."""
    rows = [{"kind": c[0], "record_id": c[1], "occasion": c[2]} for c in candidates]
    # One statement with three arrays: a morning can hold thousands of occasions.
    inserted = set(tuple(row) for row in db.session.execute(sa.text(
        "INSERT INTO reminders_sent (kind, record_id, occasion) "
        "SELECT * FROM unnest(CAST(:kinds AS text[]), CAST(:ids AS bigint[]), CAST(:days AS date[])) "
        "ON CONFLICT ON CONSTRAINT uq_reminders_sent_occasion DO NOTHING "
        "RETURNING kind, record_id, occasion"),
        {"kinds": [r["kind"] for r in rows], "ids": [r["record_id"] for r in rows],
         "days": [r["occasion"] for r in rows]}))
    for kind, record_id, occasion, owner_id, message, params, subject in candidates:
        if (kind, record_id, occasion) in inserted:
            notify([owner_id], "reminder", message, params, subject=subject)
    return len(inserted)
