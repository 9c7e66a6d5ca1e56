"""Approval rules and requests (tenant schema), for any document type.

A rule says: documents of `document_type` whose `metric` (e.g. the total
discount in percent, or the amount in the tenant's currency) is above
`threshold` need the approval of `approver` (the unit manager, the director
above them, or any holder of a role). A request is one approval asked of one
approver (or role) for one document.
"""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class ApprovalRule(TenantModel):
    __tablename__ = "approval_rules"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("approver IN ('unit_manager', 'director', 'role')",
                           name="approver_known"),
        sa.CheckConstraint("approver <> 'role' OR role_id IS NOT NULL", name="role_given"),
        sa.CheckConstraint("threshold >= 0", name="threshold_not_negative"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    document_type: Mapped[str] = mapped_column(sa.String(30))
    metric: Mapped[str] = mapped_column(sa.String(30))
    threshold: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    approver: Mapped[str] = mapped_column(sa.String(16))
    role_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roles.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())


class ApprovalRequest(TenantModel):
    __tablename__ = "approval_requests"
    __audited__ = True
    __table_args__ = (
        sa.Index("ix_approval_requests_document", "document_type", "document_id"),
        sa.Index("ix_approval_requests_approver_status", "approver_id", "status"),
        sa.Index("ix_approval_requests_role_status", "approver_role_id", "status"),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'canceled')",
                           name="status_known"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    document_type: Mapped[str] = mapped_column(sa.String(30))
    document_id: Mapped[int] = mapped_column()
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("approval_rules.id"))
    reason: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approver_role_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roles.id"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
