"""Sales orders (tenant schema), made from accepted quotes."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_base import TenantModel


class Order(TenantModel):
    __tablename__ = "orders"
    __audited__ = True
    __table_args__ = (sa.Index("ix_orders_customer_id", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    quote_id: Mapped[int] = mapped_column(sa.ForeignKey("quotes.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    opportunity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opportunities.id"))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    subtotal: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    tax_amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    total: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    status: Mapped[str] = mapped_column(sa.String(12), default="open")
    ordered_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())

    # For the pages: read-only, the columns above are what services write.
    customer = relationship("Customer", viewonly=True)
    owner = relationship("User", viewonly=True)
    quote = relationship("Quote", viewonly=True)
    lines: Mapped[list["OrderLine"]] = relationship(viewonly=True, order_by="OrderLine.position")


class OrderLine(TenantModel):
    __tablename__ = "order_lines"
    __table_args__ = (sa.Index("ix_order_lines_order_id", "order_id", "position"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(14, 3))
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    net_amount: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
