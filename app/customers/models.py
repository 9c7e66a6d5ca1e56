"""Customers and their addresses (tenant schema)."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_base import TenantModel
from app.search.builder import gin_index, search_vector_column

TIERS = ("A", "B", "C")
ADDRESS_KINDS = ("registered", "delivery", "invoice")


class Customer(TenantModel):
    __tablename__ = "customers"
    __audited__ = True
    __audit_ignore__ = ("search_vector", "updated_at")
    __table_args__ = (
        sa.Index("uq_customers_code_lower", sa.func.lower(sa.text("code")), unique=True),
        sa.Index("ix_customers_owner_live", "owner_id", "deleted_at", "id"),
        # A sales rep's own list, sorted by name or by date, without walking everyone's rows.
        sa.Index("ix_customers_owner_name_id", "owner_id", "name", "id"),
        sa.Index("ix_customers_owner_created_id", "owner_id", "created_at", "id"),
        sa.Index("ix_customers_name_id", "name", "id"),
        sa.Index("ix_customers_code_id", "code", "id"),
        sa.Index("ix_customers_created_id", "created_at", "id"),
        sa.Index("ix_customers_sales_volume_id", "sales_volume", "id"),
        sa.Index("ix_customers_phone_e164", "phone_e164"),
        sa.Index("ix_customers_email_lower", sa.func.lower(sa.text("email"))),
        gin_index("customers"),
        sa.CheckConstraint(
            "type IN ('prospect', 'customer', 'partner', 'supplier', 'competitor')",
            name="type_known"),
        sa.CheckConstraint("kind IN ('company', 'individual')", name="kind_known"),
        sa.CheckConstraint("tier IS NULL OR tier IN ('A', 'B', 'C')", name="tier_known"),
        sa.CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit_positive"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str | None] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(12), default="company")
    type: Mapped[str] = mapped_column(sa.String(12), default="prospect")
    industry: Mapped[str | None] = mapped_column(sa.String(80))
    source: Mapped[str | None] = mapped_column(sa.String(80))
    tier: Mapped[str | None] = mapped_column(sa.String(1))
    tier_is_manual: Mapped[bool] = mapped_column(default=False)
    region: Mapped[str | None] = mapped_column(sa.String(80))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    commission_code: Mapped[str | None] = mapped_column(sa.String(40))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    phone_e164: Mapped[str | None] = mapped_column(sa.String(20))
    fax: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    bank_name: Mapped[str | None] = mapped_column(sa.String(120))
    bank_account: Mapped[str | None] = mapped_column(sa.String(60))
    currency: Mapped[str] = mapped_column(sa.String(3), default="CNY")
    payment_method: Mapped[str | None] = mapped_column(sa.String(40))
    payment_terms: Mapped[str | None] = mapped_column(sa.String(80))
    tax_rule: Mapped[str | None] = mapped_column(sa.String(80))
    tax_id: Mapped[str | None] = mapped_column(sa.String(40))
    credit_limit: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    credit_rating: Mapped[str | None] = mapped_column(sa.String(20))
    credit_record: Mapped[str | None] = mapped_column(sa.Text)
    # Computed nightly: orders of the last 12 months in the workspace currency + sales_history.
    sales_volume: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), default=Decimal("0"))
    # Yearly sales before Kehu (typed or imported); None: no figure.
    sales_history: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    preferences: Mapped[str | None] = mapped_column(sa.Text)
    habits: Mapped[str | None] = mapped_column(sa.Text)
    character: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # Days between orders this customer usually needs: the owner is reminded when it is due.
    reorder_interval_days: Mapped[int | None] = mapped_column(sa.SmallInteger)
    tags: Mapped[list[str]] = mapped_column(ARRAY(sa.String(40)), default=list)
    custom: Mapped[dict] = mapped_column(JSONB, default=dict)
    search_vector: Mapped[str | None] = search_vector_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))

    owner = relationship("User", foreign_keys=[owner_id])
    addresses: Mapped[list["Address"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Address.kind")


class Address(TenantModel):
    __tablename__ = "customer_addresses"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('registered', 'delivery', 'invoice')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    line1: Mapped[str] = mapped_column(sa.String(200))
    line2: Mapped[str | None] = mapped_column(sa.String(200))
    city: Mapped[str | None] = mapped_column(sa.String(80))
    region: Mapped[str | None] = mapped_column(sa.String(80))
    postal_code: Mapped[str | None] = mapped_column(sa.String(20))
    country: Mapped[str | None] = mapped_column(sa.String(2))

    customer: Mapped[Customer] = relationship(back_populates="addresses")
