"""Provider staff accounts (public schema), separate from every tenant's users."""
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import PublicModel

PROVIDER_ROLES = ("owner", "billing", "support")


class ProviderUser(UserMixin, PublicModel):
    __tablename__ = "provider_users"
    __table_args__ = (
        sa.Index("uq_provider_users_email_lower", sa.func.lower(sa.text("email")), unique=True),
        sa.CheckConstraint("role IN ('owner', 'billing', 'support')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16), default="support")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at log-out: a copied session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    # The console can impersonate any tenant, so a TOTP second step is required; staff enrol
    # at their first log-in (app/provider/login.py).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: names the area, tenant and version."""
        from app.login import session_id_for

        return session_id_for(self)


class ProviderAudit(PublicModel):
    """Every console action: who did what to which tenant, and why."""

    __tablename__ = "provider_audit"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    provider_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("public.provider_users.id", ondelete="SET NULL")
    )
    actor_email: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(40))
    tenant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("public.tenants.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
