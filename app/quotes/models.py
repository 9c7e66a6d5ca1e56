"""Quotes and quote lines (tenant schema).

A quote is identified by its gap-free number; each revision is a new row with
the same number and the next version, the older rows staying as they were
(`is_current` marks the latest). Lines copy the product's code, name and unit,
so archiving or renaming a product never changes a quote.
"""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_base import TenantModel

STATUSES = ("draft", "pending_approval", "approved", "sent", "accepted", "rejected", "expired")


class Quote(TenantModel):
    __tablename__ = "quotes"
    __audited__ = True
    __audit_ignore__ = ("updated_at",)
    __table_args__ = (
        sa.UniqueConstraint("number", "version", name="uq_quotes_number_version"),
        sa.Index("ix_quotes_owner_live", "owner_id", "is_current", "id"),
        sa.Index("ix_quotes_customer_id", "customer_id", "id"),
        sa.Index("ix_quotes_opportunity_id", "opportunity_id"),
        sa.CheckConstraint(
            "status IN ('draft', 'pending_approval', 'approved', 'sent', 'accepted', "
            "'rejected', 'expired')", name="status_known"),
        sa.CheckConstraint("discount_percent BETWEEN 0 AND 100", name="discount_percent"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))
    opportunity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opportunities.id"))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    currency: Mapped[str] = mapped_column(sa.String(3))
    valid_until: Mapped[date | None] = mapped_column(sa.Date)
    terms: Mapped[str | None] = mapped_column(sa.Text)
    discount_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    subtotal: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), default=Decimal("0"))
    discount_amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), default=Decimal("0"))
    tax_amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), default=Decimal("0"))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())

    lines: Mapped[list["QuoteLine"]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteLine.position")
    customer = relationship("Customer", viewonly=True)  # for lists (selectinload)

    @property
    def label(self) -> str:
        return f"{self.number} v{self.version}"


class QuoteLine(TenantModel):
    """One product on a quote. customer_id, currency and quoted_at are copied from the quote
    (quoted_at once it is sent) so the price history is one index range scan."""

    __tablename__ = "quote_lines"
    __table_args__ = (
        sa.Index("ix_quote_lines_price_history", "product_id", "customer_id", "quoted_at",
                 postgresql_include=["currency", "unit_price"]),
        sa.Index("ix_quote_lines_quote_id", "quote_id", "position"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        sa.CheckConstraint("discount_percent BETWEEN 0 AND 100", name="discount_percent"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    quote_id: Mapped[int] = mapped_column(sa.ForeignKey("quotes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"))
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str | None] = mapped_column(sa.String(20))
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(14, 3))
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    discount_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    net_amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    tax_amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    currency: Mapped[str] = mapped_column(sa.String(3))
    quoted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    quote: Mapped[Quote] = relationship(back_populates="lines")
