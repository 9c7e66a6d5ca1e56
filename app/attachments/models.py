"""Attachments of customers, contacts and competitors (tenant schema).

The bytes live in per-tenant storage (app/storage.py).
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class Attachment(TenantModel):
    __tablename__ = "attachments"
    __audited__ = True
    __table_args__ = (
        sa.Index("ix_attachments_customer", "customer_id", "created_at"),
        sa.Index("ix_attachments_contact", "contact_id", "created_at"),
        sa.Index("ix_attachments_competitor", "competitor_id", "created_at"),
        sa.CheckConstraint("customer_id IS NOT NULL OR contact_id IS NOT NULL "
                           "OR competitor_id IS NOT NULL", name="has_owner"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    competitor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("competitors.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    # Only ever one of the types in files.PREVIEWABLE, or application/octet-stream.
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    storage_key: Mapped[str] = mapped_column(sa.String(120))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
