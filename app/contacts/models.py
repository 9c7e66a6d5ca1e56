"""Contacts (tenant schema)."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.customers.models import Customer
from app.db_base import TenantModel
from app.search.builder import gin_index, search_vector_column


class Contact(TenantModel):
    __tablename__ = "contacts"
    __audited__ = True
    __audit_ignore__ = ("search_vector", "updated_at")
    __table_args__ = (
        sa.Index("ix_contacts_customer_id", "customer_id", "id"),
        sa.Index("ix_contacts_owner_live", "owner_id", "deleted_at", "id"),
        sa.Index("ix_contacts_name_id", "name", "id"),
        sa.Index("ix_contacts_phone_e164", "phone_e164"),
        sa.Index("ix_contacts_mobile_e164", "mobile_e164"),
        sa.Index("ix_contacts_email_lower", sa.func.lower(sa.text("email"))),
        gin_index("contacts"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str | None] = mapped_column(sa.String(80))
    department: Mapped[str | None] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    phone_e164: Mapped[str | None] = mapped_column(sa.String(20))
    mobile: Mapped[str | None] = mapped_column(sa.String(40))
    mobile_e164: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    wechat: Mapped[str | None] = mapped_column(sa.String(60))
    line_id: Mapped[str | None] = mapped_column(sa.String(60))
    whatsapp: Mapped[str | None] = mapped_column(sa.String(40))
    birthday: Mapped[date | None] = mapped_column(sa.Date)
    preferences: Mapped[str | None] = mapped_column(sa.Text)
    decision_role: Mapped[str | None] = mapped_column(sa.String(20))
    is_primary: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    custom: Mapped[dict] = mapped_column(JSONB, default=dict)
    search_vector: Mapped[str | None] = search_vector_column()
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    customer: Mapped[Customer | None] = relationship()
