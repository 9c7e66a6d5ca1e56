"""Sign-ups (public schema): who signed up, from where, and whether the e-mail is verified."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import PublicModel


class Signup(PublicModel):
    __tablename__ = "signups"
    __table_args__ = (sa.Index("ix_signups_email_lower", sa.func.lower(sa.text("email"))),)

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    # The form's one-time token: a second submit of the same form is recognised.
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    tenant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("public.tenants.id", ondelete="SET NULL")
    )
    tenant_slug: Mapped[str] = mapped_column(sa.String(32))
    remote_addr: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
