"""Opportunities, their contacts and their stage history (tenant schema)."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class Opportunity(TenantModel):
    __tablename__ = "opportunities"
    __audited__ = True
    __audit_ignore__ = ("updated_at",)
    __table_args__ = (
        sa.Index("ix_opportunities_stage_close", "stage_id", "expected_close", "id"),
        sa.Index("ix_opportunities_stage_closed", "stage_id", "closed_on", "id"),
        sa.Index("ix_opportunities_owner_live", "owner_id", "deleted_at", "id"),
        sa.Index("ix_opportunities_customer_id", "customer_id"),
        sa.Index("ix_opportunities_close", "expected_close"),
        # "Deals without activity": the longest unchanged live deals first (My day).
        sa.Index("ix_opportunities_updated_live", "updated_at",
                 postgresql_where=sa.text("deleted_at IS NULL")),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability_percent"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(sa.String(3))
    expected_close: Mapped[date | None] = mapped_column(sa.Date)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("pipeline_stages.id"))
    probability: Mapped[int] = mapped_column(sa.SmallInteger)
    source: Mapped[str | None] = mapped_column(sa.String(80))
    next_step: Mapped[str | None] = mapped_column(sa.String(200))
    next_step_date: Mapped[date | None] = mapped_column(sa.Date)  # the owner is reminded that day
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"), index=True)
    won_lost_reason: Mapped[str | None] = mapped_column(sa.Text)
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    custom: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class OpportunityContact(TenantModel):
    __tablename__ = "opportunity_contacts"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id"), primary_key=True,
                                            index=True)


class StageChange(TenantModel):
    """One move of an opportunity between stages: stage durations and conversion come from these."""

    __tablename__ = "opportunity_stage_changes"
    __table_args__ = (
        sa.Index("ix_opportunity_stage_changes_opp_time", "opportunity_id", "changed_at"),
        sa.Index("ix_opportunity_stage_changes_to_stage", "to_stage_id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"))
    from_stage_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pipeline_stages.id"))
    to_stage_id: Mapped[int] = mapped_column(sa.ForeignKey("pipeline_stages.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    changed_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
