"""Meetings and customer visits (tenant schema), with their attendees; the calendar's
per-user settings (feed token, daily agenda), the reminders already sent, and the weekly
work reports."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_base import TenantModel

MEETING_KINDS = ("meeting", "visit", "call")


class Meeting(TenantModel):
    __tablename__ = "meetings"
    __audited__ = True
    __audit_ignore__ = ("updated_at", "reminded_at")
    __table_args__ = (
        sa.Index("ix_meetings_owner_start", "owner_id", "starts_at", "id"),
        sa.Index("ix_meetings_start", "starts_at"),
        sa.Index("ix_meetings_related", "related_type", "related_id"),
        sa.Index("ix_meetings_customer_id", "customer_id"),
        sa.Index("ix_meetings_remind_pending", "remind_at",
                 postgresql_where=sa.text("reminded_at IS NULL AND remind_at IS NOT NULL")),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.CheckConstraint("kind IN ('meeting', 'visit', 'call')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(10), default="meeting")
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    all_day: Mapped[bool] = mapped_column(default=False)
    location: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # the organizer
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    related_type: Mapped[str | None] = mapped_column(sa.String(30))
    related_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    remind_minutes: Mapped[int | None] = mapped_column(sa.Integer)  # before the start
    remind_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    canceled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # A visit or meeting marked as held, with what came of it (put on the timeline).
    held_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    attendees: Mapped[list["MeetingAttendee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan")


class MeetingAttendee(TenantModel):
    """A user or a contact invited to a meeting (exactly one of the two)."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (
        sa.CheckConstraint("(user_id IS NULL) <> (contact_id IS NULL)", name="user_or_contact"),
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_meeting_attendees_user"),
        sa.UniqueConstraint("meeting_id", "contact_id", name="uq_meeting_attendees_contact"),
        sa.Index("ix_meeting_attendees_user", "user_id", "meeting_id"),
        sa.Index("ix_meeting_attendees_contact", "contact_id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class CalendarSettings(TenantModel):
    """One user's calendar settings: the secret of their ICS feed and the daily agenda opt-in."""

    __tablename__ = "calendar_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    # The feed URL's secret (None: no feed); regenerating it revokes the old address.
    feed_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    daily_agenda: Mapped[bool] = mapped_column(default=False)
    # The user's local day whose agenda was last mailed: claims that day once.
    agenda_sent_on: Mapped[date | None] = mapped_column(sa.Date)


class WorkSettings(TenantModel):
    """The workspace's reminder settings (one row, id 1)."""

    __tablename__ = "work_settings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    stale_deal_days: Mapped[int] = mapped_column(sa.SmallInteger, default=14)
    quote_expiry_days: Mapped[int] = mapped_column(sa.SmallInteger, default=3)


class ReminderSent(TenantModel):
    """A reminder already sent: one per (kind, record, occasion), so a reminder fires once
    however many ticks run, even two at once (INSERT … ON CONFLICT DO NOTHING)."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint("kind", "record_id", "occasion", name="uq_reminders_sent_occasion"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    record_id: Mapped[int] = mapped_column(sa.BigInteger)
    occasion: Mapped[date] = mapped_column(sa.Date)
    sent_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())


class WeeklyReport(TenantModel):
    """A rep's weekly work report: generated, edited by the rep, then sent to the manager."""

    __tablename__ = "weekly_reports"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "week_start", name="uq_weekly_reports_user_week"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    week_start: Mapped[date] = mapped_column(sa.Date)  # the Monday
    body: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
