"""Branding (tenant schema): one row per tenant, id 1."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

DEFAULT_COLOR = "#1f5fa8"
TEXT_FIELDS = ("mail_sender_name", "email_footer", "call_greeting", "call_closing", "quote_header",
               "quote_footer")


class Branding(TenantModel):
    __tablename__ = "branding"
    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("primary_color ~ '^#[0-9a-f]{6}$'", name="color_hex"),
    )
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    company_name: Mapped[str] = mapped_column(sa.String(200), default="")
    primary_color: Mapped[str] = mapped_column(sa.String(7), default=DEFAULT_COLOR)
    # The display name of the workspace's outgoing mail; empty: the workspace's name.
    mail_sender_name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    email_footer: Mapped[str] = mapped_column(sa.Text, default="")
    call_greeting: Mapped[str] = mapped_column(sa.Text, default="")
    call_closing: Mapped[str] = mapped_column(sa.Text, default="")
    quote_header: Mapped[str] = mapped_column(sa.Text, default="")
    quote_footer: Mapped[str] = mapped_column(sa.Text, default="")
    # The logo lives in the tenant's upload directory under branding/.
    logo_file: Mapped[str | None] = mapped_column(sa.String(100))
    logo_type: Mapped[str | None] = mapped_column(sa.String(40))
    logo_bytes: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )
