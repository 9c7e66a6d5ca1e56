"""The scheduler's public tables: when each tenant's handlers are next due, and what ran.

Both live in the public schema: one tick reads every tenant's wake-ups with one
indexed query instead of visiting a thousand schemas.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import PublicModel

RUN_STATUSES = ("done", "failed")
RUN_KINDS = ("scheduled", "queued")


class Wakeup(PublicModel):
    """Handler `handler` of tenant `tenant_id` (NULL: public work) runs once due_at has come.

    due_at NULL: nothing to do until someone calls wake_at. While a tick runs the
    handler, due_at holds the claim's lease end (claimed_until) so no other tick takes it.
    """
    __tablename__ = "wakeups"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "handler", name="uq_wakeups_tenant_handler"),
        # Public work has no tenant: one row per handler all the same.
        sa.Index("uq_wakeups_public_handler", "handler", unique=True,
                 postgresql_where=sa.text("tenant_id IS NULL")),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("public.tenants.id", ondelete="CASCADE"))
    handler: Mapped[str] = mapped_column(sa.String(100))
    due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Failures in a row; reset by a success. failed_at: given up until someone retries.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    failed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class JobRun(PublicModel):
    """One run of a scheduled handler or of a queued job, with its outcome."""
    __tablename__ = "job_runs"
    __table_args__ = (
        sa.CheckConstraint("status IN ('done', 'failed')", name="status_known"),
        sa.CheckConstraint("kind IN ('scheduled', 'queued')", name="kind_known"),
        sa.Index("ix_job_runs_tenant_started", "tenant_id", "started_at"),
        sa.Index("ix_job_runs_failed", "started_at", postgresql_where=sa.text("status = 'failed'")),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("public.tenants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(200))
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.String(16))
    error: Mapped[str | None] = mapped_column(sa.Text)
    # Scheduled: the failures in a row this run makes (1 = first try). Queued: 1.
    attempts: Mapped[int] = mapped_column(default=1, server_default="1")
    # A queued job's arguments, so Retry can queue it again (NULL when they are not JSON).
    job_args: Mapped[dict | None] = mapped_column(JSONB)
    retried_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
