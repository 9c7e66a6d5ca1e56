"""Meetings and customer visits (tenant schema), with their attendees."""
from datetime import datetime

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
