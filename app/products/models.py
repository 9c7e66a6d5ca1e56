"""Products and price lists (tenant schema).

A product is never deleted: archiving hides it from new quotes while every
quote and order that names it keeps its own copy of code, name and price.
List prices are kept per currency in `list_prices` ({"CNY": "120.00"}).
"""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel
from app.search.builder import gin_index, search_vector_column

TIERS = ("A", "B", "C")


class Product(TenantModel):
    __tablename__ = "products"
    __audited__ = True
    __audit_ignore__ = ("search_vector", "updated_at")
    __table_args__ = (
        sa.Index("uq_products_code_lower", sa.func.lower(sa.text("code")), unique=True),
        sa.Index("ix_products_archived_name", "archived_at", "name"),
        gin_index("products"),
        sa.CheckConstraint("tax_rate >= 0 AND tax_rate <= 100", name="tax_rate_percent"),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str | None] = mapped_column(sa.String(80))
    unit: Mapped[str | None] = mapped_column(sa.String(20))
    description: Mapped[str | None] = mapped_column(sa.Text)
    list_prices: Mapped[dict] = mapped_column(JSONB, default=dict)
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    tax_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    search_vector: Mapped[str | None] = search_vector_column()
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
    archived_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The product picture lives in the tenant's upload directory under products/.
    image_file: Mapped[str | None] = mapped_column(sa.String(100))
    image_type: Mapped[str | None] = mapped_column(sa.String(40))
    image_bytes: Mapped[int | None] = mapped_column()

    @property
    def active(self) -> bool:
        return self.archived_at is None

    def list_price(self, currency: str) -> Decimal | None:
        value = (self.list_prices or {}).get(currency)
        return None if value in (None, "") else Decimal(str(value))


class PriceList(TenantModel):
    """Prices for one customer tier in one currency (e.g. dealer = tier A, in CNY)."""

    __tablename__ = "price_lists"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("tier", "currency", name="uq_price_lists_tier_currency"),
        sa.CheckConstraint("tier IS NULL OR tier IN ('A', 'B', 'C')", name="tier_known"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    currency: Mapped[str] = mapped_column(sa.String(3))
    tier: Mapped[str | None] = mapped_column(sa.String(1))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())


class PriceListItem(TenantModel):
    __tablename__ = "price_list_items"
    __table_args__ = (sa.CheckConstraint("price >= 0", name="price_not_negative"),)

    price_list_id: Mapped[int] = mapped_column(
        sa.ForeignKey("price_lists.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), primary_key=True,
                                            index=True)
    price: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
