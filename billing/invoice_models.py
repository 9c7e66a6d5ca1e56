"""Invoices, their lines, payments, and the per-year number counter (public schema)."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_base import PublicModel
from billing.models import MONEY

INVOICE_STATUSES = ("draft", "open", "paid", "void", "uncollectible")


class InvoiceCounter(PublicModel):
    """The last number given out per year; taken under a row lock, so numbers have no gaps."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Invoice(PublicModel):
    __tablename__ = "invoices"
    __table_args__ = (
        sa.UniqueConstraint("year", "sequence", name="uq_invoices_year_sequence"),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'paid', 'void', 'uncollectible')", name="status_known"
        ),
        # One open invoice per subscription and period: a double click or two billing runs at
        # once cannot both issue one (billing/locks.py serializes them; this is the backstop).
        sa.Index("uq_invoices_open_period", "subscription_id", "period_start", unique=True,
                 postgresql_where=sa.text("status = 'open' AND period_start IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("public.subscriptions.id"), index=True
    )
    # Drafts have no number yet; a number is given when the invoice is issued.
    year: Mapped[int | None]
    sequence: Mapped[int | None]
    number: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    currency: Mapped[str] = mapped_column(sa.String(3))
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    tax_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4), default=Decimal("0"))
    tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    billed_to: Mapped[str] = mapped_column(sa.String(200), default="")
    period_start: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    period_end: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    issued_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    stripe_invoice_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    lines: Mapped[list["InvoiceLine"]] = relationship(
        order_by="InvoiceLine.id", cascade="all, delete-orphan", back_populates="invoice"
    )
    payments: Mapped[list["Payment"]] = relationship(order_by="Payment.id", back_populates="invoice")


class InvoiceLine(PublicModel):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("public.invoices.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(sa.String(300))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_amount: Mapped[Decimal] = mapped_column(MONEY)
    amount: Mapped[Decimal] = mapped_column(MONEY)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(PublicModel):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("public.invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(sa.String(3))
    method: Mapped[str] = mapped_column(sa.String(20))  # bank_transfer, stripe, credit
    reference: Mapped[str] = mapped_column(sa.String(120), default="")
    recorded_by: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    invoice: Mapped[Invoice] = relationship(back_populates="payments")
