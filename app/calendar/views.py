"""Calendar pages: day/week/month grids, the meeting form and page, cancel and held, the
feed and agenda settings, the public ICS feed, the weekly report, reminder settings."""
from datetime import date, timedelta

import sqlalchemy as sa
from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import public, requires
from app.access.visibility import visible_to
from app.auth.models import User
from app.branding.services import get_branding
from app.calendar import feed as feeds, services, weekly
from app.calendar.forms import (KIND_LABELS, AgendaForm, CancelForm, FeedForm, HeldForm,
                                MeetingForm, WeeklyReportForm, WorkSettingsForm)
from app.calendar.models import CalendarSettings, Meeting
from app.calendar.reminders import work_settings
from app.calendar.times import VIEWS, local_today, page_range, user_zone
from app.contacts.models import Contact
from app.extensions import db, limiter
from app.records import find_record, record_url
from app.selects import select_choices
from tenants.context import current_tenant

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _day_arg(name: str = "date") -> date | None:
    """A day named in the query string; nonsense or a year no calendar page shows is None."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2200 else None


@bp.get("/")
@requires("tasks", "view")
def index():
    view = request.args.get("view", "week")
    if view not in VIEWS:
        view = "week"
    members = services.team_members(current_user)
    member_id = request.args.get("user", type=int) or current_user.id
    if member_id not in {uid for uid, _name in members}:
        member_id = current_user.id  # a colleague outside the viewer's visibility: own calendar
    zone = user_zone(current_user)
    today = local_today(current_user)
    span = page_range(view, _day_arg() or today, zone)
    meetings = services.meetings_between(member_id, current_user, span.start_utc, span.end_utc)
    by_day = {day: [] for day in span.day_list()}
    for meeting in meetings:
        first = max(meeting.starts_at.astimezone(zone).date(), span.first)
        # An all-day meeting ends at the midnight after its last day; a timed one on its day.
        end = meeting.ends_at.astimezone(zone)
        last = (end - timedelta(microseconds=1)).date() if end > meeting.starts_at.astimezone(zone) else end.date()
        last = min(last, span.last)
        day = first
        while day <= last:
            by_day[day].append(meeting)
            day += timedelta(days=1)
    return render_template("calendar/index.html", span=span, by_day=by_day, zone=zone,
                           today=today, members=members, member_id=member_id,
                           kinds=KIND_LABELS)


def _form(meeting: Meeting | None) -> MeetingForm:
    zone = user_zone(current_user)
    data = {}
    if meeting is None:
        start = local_today(current_user)
        data = {"starts_on": _day_arg("on") or start, "ends_on": _day_arg("on") or start,
                "related_type": request.args.get("related_type", ""),
                "related_id": request.args.get("related_id", type=int),
                "kind": "visit" if request.args.get("related_type") == "customer" else "meeting"}
    else:
        starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
        if meeting.all_day:
            ends = ends - timedelta(days=1)
        data = {"starts_on": starts.date(), "starts_time": starts.time(), "ends_on": ends.date(),
                "ends_time": ends.time(), "related_type": meeting.related_type or "",
                "user_ids": [a.user_id for a in meeting.attendees if a.user_id],
                "contact_ids": [a.contact_id for a in meeting.attendees if a.contact_id]}
    form = MeetingForm(obj=meeting, **data)
    form.user_ids.choices = select_choices(db.session.execute(
        sa.select(User.id, User.name).where(User.active).order_by(User.name)).all())
    customer_id = _customer_of(form, meeting)
    contacts = []
    if customer_id is not None:
        contacts = db.session.execute(sa.select(Contact.id, Contact.name).where(
            Contact.customer_id == customer_id, Contact.deleted_at.is_(None),
            visible_to(current_user, Contact)).order_by(Contact.name)).all()
    form.contact_ids.choices = select_choices(contacts)
    return form


def _customer_of(form: MeetingForm, meeting: Meeting | None) -> int | None:
    """The customer whose contacts the form offers: the related record's, if visible."""
    from app.records import record_type
    kind, record_id = form.related_type.data, form.related_id.data
    if meeting is not None and (kind, record_id) == (meeting.related_type, meeting.related_id):
        return meeting.customer_id
    if kind not in services.RELATED_TYPES or not isinstance(record_id, int):
        return None
    record = find_record(kind, record_id)
    return record_type(kind).customer_id(record) if record is not None else None


def _edit_page(meeting: Meeting | None):
    form = _form(meeting)
    if form.validate_on_submit() and (data := form.to_input(user_zone(current_user))) is not None:
        try:
            meeting = services.save_meeting(meeting, data, current_user)
        except services.MeetingError as error:
            form[error.field].errors.append(str(error.message))
        else:
            flash(_("The meeting is saved."), "success")
            return redirect(url_for("workspace.calendar.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template("calendar/form.html", form=form, meeting=meeting), status


@bp.route("/new", methods=["GET", "POST"])
@requires("tasks", "create")
def new():
    return _edit_page(None)


def _visible_meeting(meeting_id: int) -> Meeting:
    meeting = services.find_meeting(meeting_id, current_user)
    if meeting is None:
        abort(404)
    return meeting


def _editable_meeting(meeting_id: int) -> Meeting:
    """Organizer or a colleague who may see it by visibility; attendees only read it."""
    meeting = db.session.scalar(sa.select(Meeting).where(
        Meeting.id == meeting_id, Meeting.deleted_at.is_(None), visible_to(current_user, Meeting)))
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires("tasks", "edit")
def edit(meeting_id):
    return _edit_page(_editable_meeting(meeting_id))


@bp.get("/<int:meeting_id>")
@requires("tasks", "view")
def show(meeting_id):
    meeting = _visible_meeting(meeting_id)
    users, contacts = services.attendee_names(meeting)
    related = None
    if meeting.related_type and find_record(meeting.related_type, meeting.related_id) is not None:
        related = record_url(meeting.related_type, meeting.related_id)
    organizer = db.session.get(User, meeting.owner_id) if meeting.owner_id else None
    return render_template("calendar/show.html", meeting=meeting, users=users, contacts=contacts,
                           related=related, organizer=organizer, zone=user_zone(current_user),
                           kinds=KIND_LABELS, held_form=HeldForm(), cancel_form=CancelForm())


@bp.post("/<int:meeting_id>/cancel")
@requires("tasks", "edit")
def cancel(meeting_id):
    meeting = _editable_meeting(meeting_id)
    form = CancelForm()
    if form.validate_on_submit() and services.cancel_meeting(meeting):
        flash(_("The meeting is canceled."), "success")
    return redirect(url_for("workspace.calendar.show", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/held")
@requires("tasks", "edit")
def held(meeting_id):
    meeting = _editable_meeting(meeting_id)
    form = HeldForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.outcome.errors) or _("Try again."), "danger")
    elif services.mark_held(meeting, form.outcome.data or None, current_user):
        flash(_("Marked as held; the outcome is on the customer's timeline."), "success")
    else:
        flash(_("This meeting was already marked as held or is canceled."), "warning")
    return redirect(url_for("workspace.calendar.show", meeting_id=meeting.id))


# --- settings and the feed -------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@requires("tasks", "view")
def settings():
    mine = db.session.get(CalendarSettings, current_user.id)  # None until something is set
    form = AgendaForm(obj=mine)
    if form.validate_on_submit():
        feeds.settings_of(current_user.id).daily_agenda = bool(form.daily_agenda.data)
        flash(_("Your calendar settings are saved."), "success")
        return redirect(url_for("workspace.calendar.settings"))
    feed_url = (url_for("workspace.calendar.feed", token=mine.feed_token, _external=True)
                if mine is not None and mine.feed_token else None)
    return render_template("calendar/settings.html", form=form, feed_form=FeedForm(),
                           feed_url=feed_url)


@bp.post("/settings/feed")
@requires("tasks", "view")
def new_feed():
    if FeedForm().validate_on_submit():
        feeds.new_feed_token(current_user.id)
        flash(_("Your feed has a new address; the old one no longer works."), "success")
    return redirect(url_for("workspace.calendar.settings"))


@bp.get("/feed/<token>.ics")
@public
@limiter.limit("60 per minute")
def feed(token):
    owner = feeds.feed_owner(token)
    if owner is None:
        abort(404)
    tenant = current_tenant()
    workspace = get_branding().company_name or tenant.slug
    body = feeds.build_feed(owner, f"{tenant.slug}.kehu", f"{owner.name} — {workspace}")
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="calendar.ics"', "Cache-Control": "private, max-age=300"})


# --- weekly report ---------------------------------------------------------------------

@bp.route("/weekly-report", methods=["GET", "POST"])
@requires("tasks", "view")
def weekly_report():
    week_start = weekly.week_of(_day_arg("week") or local_today(current_user))
    report = weekly.report_for(current_user, week_start)
    form = WeeklyReportForm(body=report.body if report else weekly.generate(current_user, week_start))
    if form.validate_on_submit():
        try:
            if form.send.data:
                weekly.send(current_user, week_start, form.body.data)
                flash(_("Your report is sent to your manager."), "success")
            else:
                weekly.save(current_user, week_start, form.body.data)
                flash(_("Your report is saved."), "success")
        except weekly.ReportError as error:
            form.body.errors.append(str(error.message))
        else:
            return redirect(url_for("workspace.calendar.weekly_report", week=week_start.isoformat()))
    status = 422 if form.is_submitted() else 200
    return render_template("calendar/weekly.html", form=form, report=report, week_start=week_start,
                           previous=week_start - timedelta(days=7),
                           next=week_start + timedelta(days=7)), status


@bp.route("/reminder-settings", methods=["GET", "POST"])
@requires("admin", "admin")
def reminder_settings():
    current = work_settings(for_update=request.method == "POST")
    form = WorkSettingsForm(obj=current)
    if form.validate_on_submit():
        current.stale_deal_days = form.stale_deal_days.data
        current.quote_expiry_days = form.quote_expiry_days.data
        flash(_("The reminder settings are saved."), "success")
        return redirect(url_for("workspace.calendar.reminder_settings"))
    return render_template("calendar/reminder_settings.html", form=form), (422 if form.is_submitted() else 200)
