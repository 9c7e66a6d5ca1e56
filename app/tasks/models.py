"""Tasks (tenant schema): a to-do with a due date, an assignee and the record it is about."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel
from app.search.builder import gin_index, search_vector_column

PRIORITIES = ("low", "normal", "high")


class Task(TenantModel):
    __tablename__ = "tasks"
    __audited__ = True
    __audit_ignore__ = ("updated_at", "reminded_at")
    __table_args__ = (
        # "mine, open, by due date": the My day and list query
        sa.Index("ix_tasks_owner_open_due", "owner_id", "done_at", "due_date", "id"),
        sa.Index("ix_tasks_related", "related_type", "related_id"),
        sa.Index("ix_tasks_customer_id", "customer_id"),
        sa.Index("ix_tasks_remind_pending", "remind_at",
                 postgresql_where=sa.text("reminded_at IS NULL AND remind_at IS NOT NULL")),
        sa.CheckConstraint("priority IN ('low', 'normal', 'high')", name="priority_known"),
        # "my team's open tasks by due date" (the team list and the manager's My day panel)
        sa.Index("ix_tasks_unit_open_due", "unit_id", "due_date", "id",
                 postgresql_where=sa.text("done_at IS NULL AND deleted_at IS NULL")),
        gin_index("tasks"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # The day it is due in the assignee's calendar; due_at too when a time was given.
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    priority: Mapped[str] = mapped_column(sa.String(8), default="normal")
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # the assignee
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The record it is about (app.records type key and id), and that record's customer.
    related_type: Mapped[str | None] = mapped_column(sa.String(30))
    related_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    # An RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO;COUNT=10"); done makes the next one.
    recurrence: Mapped[str | None] = mapped_column(sa.String(200))
    series_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The occurrence whose completion made this one (undoing that completion removes it).
    follows_id: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    remind_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    custom: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    search_vector: Mapped[str | None] = search_vector_column()
