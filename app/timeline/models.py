"""Timeline entries (tenant schema): notes, calls, meetings, e-mails, tasks, quotes, orders, tickets."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

ENTRY_KINDS = ("note", "call", "meeting", "email", "task", "quote", "order", "ticket",
               "opportunity", "ownership", "merge", "attachment", "automation")


class TimelineEntry(TenantModel):
    __tablename__ = "timeline_entries"
    __table_args__ = (
        sa.Index("ix_timeline_customer_time", "customer_id", "occurred_at", "id"),
        sa.Index("ix_timeline_contact_time", "contact_id", "occurred_at"),
        sa.Index("ix_timeline_ref", "ref_type", "ref_id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str | None] = mapped_column(sa.Text)
    # The record this entry stands for in its own module (a quote, a ticket, …).
    ref_type: Mapped[str | None] = mapped_column(sa.String(30))
    ref_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
