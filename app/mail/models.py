"""The outbox: every message the app sends, written in the transaction that causes it.

Two tables of the same shape. Mail of a tenant (invitations, password resets, quotes,
approvals, exports) goes into `mail_outbox` of the tenant's schema: it is the tenant's
data, its admin sees and retries it, it is exported, backed up, moved by Citus and
dropped with the schema, and no query needs a tenant_id filter to keep tenants apart.
Mail written outside any tenant (sign-up verification, the billing run's reminders
and invoices) goes into `public.mail_outbox`.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import PublicModel, TenantModel

STATUSES = ("pending", "sent", "failed", "discarded")


class _OutboxColumns:
    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    # The whole message as it leaves (RFC 5322 bytes): a retry sends exactly what was
    # written, with the same Message-ID, whatever changed in the meantime.
    message: Mapped[bytes] = mapped_column(sa.LargeBinary)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    give_up_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True),
                                                 server_default=sa.func.now())
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


def _table_args(table: str) -> tuple:
    return (
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'discarded')", name="status"),
        # What a deliverer looks for: pending rows whose time has come.
        sa.Index(f"ix_{table}_due", "next_attempt_at", postgresql_where=sa.text("status = 'pending'")),
        sa.Index(f"ix_{table}_status", "status", "id"),
    )


class OutboxMail(_OutboxColumns, TenantModel):
    __tablename__ = "mail_outbox"
    __table_args__ = (*_table_args("mail_outbox"), sa.Index("ix_mail_outbox_customer", "customer_id"))

    # Who sent it (a quote e-mail) and whom it concerns: the customer's and contact's e-mail log.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id"))


class PublicOutboxMail(_OutboxColumns, PublicModel):
    __tablename__ = "mail_outbox"
    __table_args__ = _table_args("mail_outbox")
