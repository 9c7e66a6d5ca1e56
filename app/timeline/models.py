"""Timeline entries (tenant schema): notes, calls, meetings, e-mails, tasks, quotes, orders,
tickets, comments, and the system's own events.

Each entry is about one record, its subject (an app.records type key and id: a contact,
an opportunity, a quote…), and carries that record's customer so the customer's 360 page
shows everything beneath it. System entries keep an `event` (an English msgid and its
parameters) and are translated when read, in the reader's language.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

ENTRY_KINDS = ("note", "call", "meeting", "email", "task", "quote", "order", "ticket",
               "opportunity", "ownership", "merge", "attachment", "automation", "comment")


class TimelineEntry(TenantModel):
    __tablename__ = "timeline_entries"
    __table_args__ = (
        sa.Index("ix_timeline_customer_time", "customer_id", "occurred_at", "id"),
        sa.Index("ix_timeline_contact_time", "contact_id", "occurred_at"),
        sa.Index("ix_timeline_ref", "ref_type", "ref_id"),
        sa.Index("ix_timeline_subject_time", "subject_type", "subject_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    # The record whose activity this is (app.records): ("opportunity", 7), ("customer", 3)…
    subject_type: Mapped[str | None] = mapped_column(sa.String(30))
    subject_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    kind: Mapped[str] = mapped_column(sa.String(16))
    # For system entries: the English text of the event, kept for exports and search.
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str | None] = mapped_column(sa.Text)
    # {"msgid": "Stage changed from %(from)s to %(to)s", "params": {...}}: shown translated.
    event: Mapped[dict | None] = mapped_column(JSONB)
    # The record this entry stands for in its own module (a quote, a ticket, …).
    ref_type: Mapped[str | None] = mapped_column(sa.String(30))
    ref_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    edited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Follower(TenantModel):
    """A user who follows a record: told (notify "followed") of its new comments and activity."""
    __tablename__ = "followers"
    __table_args__ = (sa.Index("ix_followers_user", "user_id"),)

    subject_type: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    subject_id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())


class CommentMention(TenantModel):
    """A user mentioned in a comment (a timeline entry of kind "comment"): notified once."""
    __tablename__ = "comment_mentions"

    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("timeline_entries.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
