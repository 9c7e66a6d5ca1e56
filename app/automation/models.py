"""Automation rules and their run log (tenant schema)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

TRIGGERS = ("created", "changed", "date", "inactive")
RUN_STATUSES = ("done", "failed")


class AutomationRule(TenantModel):
    __tablename__ = "automation_rules"
    __audited__ = True
    __audit_ignore__ = ("updated_at", "rotation_user_id")
    __table_args__ = (
        sa.Index("ix_automation_rules_type_trigger", "record_type", "trigger"),
        sa.CheckConstraint("trigger IN ('created', 'changed', 'date', 'inactive')",
                           name="trigger_known"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)
    record_type: Mapped[str] = mapped_column(sa.String(30))  # an app.records type key
    trigger: Mapped[str] = mapped_column(sa.String(16))
    # changed: the field watched and, optionally, the value it must become;
    # date: the date field; inactive: unused.
    trigger_field: Mapped[str | None] = mapped_column(sa.String(60))
    trigger_value: Mapped[str | None] = mapped_column(sa.String(200))
    # date: the date is `days` from today (negative: that many days ago); inactive: N days.
    days: Mapped[int | None] = mapped_column(sa.Integer)
    conditions: Mapped[list] = mapped_column(JSONB, default=list)  # [{field, op, value}]
    actions: Mapped[list] = mapped_column(JSONB, default=list)     # [{type, …}] in order
    # Round-robin: the user the last assignment went to (read under the rule's row lock).
    rotation_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    disabled_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())


class RuleRun(TenantModel):
    """One evaluation of a rule on a record. run_key names the event, so an event delivered
    twice (two ticks, a retried job) finds its row and does nothing."""
    __tablename__ = "automation_runs"
    __table_args__ = (
        sa.UniqueConstraint("rule_id", "record_id", "run_key", name="uq_automation_runs_event"),
        sa.Index("ix_automation_runs_rule_time", "rule_id", "created_at", "id"),
        sa.CheckConstraint("status IN ('done', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    rule_id: Mapped[int] = mapped_column(
        sa.ForeignKey("automation_rules.id", ondelete="CASCADE"))
    record_type: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[int] = mapped_column(sa.BigInteger)
    run_key: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(8), default="done")
    detail: Mapped[str | None] = mapped_column(sa.Text)  # what the actions did, or the error
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
