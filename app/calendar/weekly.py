"""The weekly work report: generated for a rep from the week's activities (their timeline
entries), meetings held, tasks done, deals moved and quotes sent; the rep edits it and
sends it to their manager (the manager of their unit, else of the nearest unit above)."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from flask_babel import gettext as _, lazy_gettext as _l

from app.auth.models import User
from app.calendar.models import Meeting, WeeklyReport
from app.calendar.services import attends
from app.calendar.times import local_midnight, user_zone
from app.extensions import db
from app.mail import send_after_commit
from app.opportunities.models import Opportunity, StageChange
from app.org.models import UnitManager
from app.org.tree import ancestor_ids
from app.quotes.models import Quote
from app.sales.models import PipelineStage
from app.timeline.forms import ENTRY_LABELS
from app.timeline.models import TimelineEntry

MAX_LINES = 40  # per section: a report is read, not searched


class ReportError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def generate(user: User, week_start: date) -> str:
    zone = user_zone(user)
    start, end = local_midnight(week_start, zone), local_midnight(week_start + timedelta(days=7), zone)
    sections = [_("Weekly report of %(name)s, %(first)s – %(last)s", name=user.name,
                  first=week_start.isoformat(), last=(week_start + timedelta(days=6)).isoformat())]

    entries = db.session.execute(sa.select(TimelineEntry.kind, TimelineEntry.title).where(
        TimelineEntry.user_id == user.id, TimelineEntry.occurred_at >= start,
        TimelineEntry.occurred_at < end).order_by(TimelineEntry.occurred_at)).all()
    sections.append(_section(_("Activities (%(count)d)", count=len(entries)),
                             [f"{ENTRY_LABELS.get(kind, kind)}: {title}" for kind, title in entries]))

    meetings = db.session.scalars(sa.select(Meeting).where(
        attends(user.id), Meeting.held_at.is_not(None), Meeting.starts_at >= start,
        Meeting.starts_at < end, Meeting.deleted_at.is_(None)).order_by(Meeting.starts_at)).all()
    sections.append(_section(_("Meetings and visits held (%(count)d)", count=len(meetings)),
                             [f"{m.starts_at.astimezone(zone):%a %H:%M} {m.title}"
                              + (f" — {m.outcome}" if m.outcome else "") for m in meetings]))

    tasks = db.session.execute(sa.text(
        "SELECT title FROM tasks WHERE done_by_id = :user_id AND done_at >= :start "
        "AND done_at < :end AND deleted_at IS NULL ORDER BY done_at"),
        {"user_id": user.id, "start": start, "end": end}).scalars().all()
    sections.append(_section(_("Tasks done (%(count)d)", count=len(tasks)), list(tasks)))

    to_stage = aliased(PipelineStage)
    moves = db.session.execute(sa.select(Opportunity.name, to_stage.name).join(
        StageChange, StageChange.opportunity_id == Opportunity.id).join(
        to_stage, to_stage.id == StageChange.to_stage_id).where(
        StageChange.user_id == user.id, StageChange.from_stage_id.is_not(None),  # not creations
        StageChange.changed_at >= start,
        StageChange.changed_at < end).order_by(StageChange.changed_at)).all()
    sections.append(_section(_("Deals moved (%(count)d)", count=len(moves)),
                             [f"{deal} → {stage}" for deal, stage in moves]))

    quotes = db.session.execute(sa.select(Quote.number, Quote.total, Quote.currency).where(
        Quote.owner_id == user.id, Quote.sent_at >= start, Quote.sent_at < end)
        .order_by(Quote.sent_at)).all()
    sections.append(_section(_("Quotes sent (%(count)d)", count=len(quotes)),
                             [f"{number} {total} {currency}" for number, total, currency in quotes]))
    sections.append(_("Next week:") + "\n- ")
    return "\n\n".join(sections)


def _section(heading: str, lines: list[str]) -> str:
    shown = [f"- {line}" for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append(_("… and %(count)d more", count=len(lines) - MAX_LINES))
    return "\n".join([heading, *shown]) if shown else heading


def report_for(user: User, week_start: date) -> WeeklyReport | None:
    return db.session.scalar(sa.select(WeeklyReport).where(
        WeeklyReport.user_id == user.id, WeeklyReport.week_start == week_start))


def save(user: User, week_start: date, body: str) -> WeeklyReport:
    report = report_for(user, week_start)
    if report is None:
        report = WeeklyReport(user_id=user.id, week_start=week_start, body=body)
        db.session.add(report)
    else:
        report.body = body
    db.session.flush()
    return report


def manager_for(user: User) -> User | None:
    """The manager of the user's unit, else of the nearest unit above; never the user."""
    if user.unit_id is None:
        return None
    for unit_id in ancestor_ids(user.unit_id):
        manager_id = db.session.scalar(sa.select(UnitManager.user_id).where(
            UnitManager.unit_id == unit_id))
        if manager_id is not None and manager_id != user.id:
            manager = db.session.get(User, manager_id)
            if manager is not None and manager.active:
                return manager
    return None


def send(user: User, week_start: date, body: str) -> WeeklyReport:
    manager = manager_for(user)
    if manager is None:
        raise ReportError(_l("You have no manager to send it to: ask an admin to set your unit's manager."))
    report = save(user, week_start, body)
    report.sent_at, report.sent_to_id = datetime.now(timezone.utc), manager.id
    send_after_commit(manager.email, _("Weekly report: %(name)s, week of %(day)s", name=user.name,
                                       day=week_start.isoformat()), body)
    db.session.flush()
    return report
