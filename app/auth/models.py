"""Tenant users and their log-in record (tenant schema)."""
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.access.models import Role
from app.db_base import TenantModel


class User(UserMixin, TenantModel):
    __tablename__ = "users"
    __table_args__ = (sa.Index("uq_users_email_lower", sa.func.lower(sa.text("email")), unique=True),)
    __audited__ = True
    __audit_ignore__ = frozenset({"last_login_at"})
    __audit_redact__ = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    signature: Mapped[str | None] = mapped_column(sa.Text)
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change and deactivation: every older session and e-mailed link stops
    # working. One session at a time ends by deleting its UserSession row (log-out, profile).
    session_version: Mapped[int] = mapped_column(default=1)
    # Two-factor: a TOTP secret once confirmed, and hashes of unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    recovery_code_hashes: Mapped[list] = mapped_column(JSONB, default=list)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    role: Mapped[Role] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: names the area, tenant and version."""
        from app.login import session_id_for

        return session_id_for(self)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginEvent(TenantModel):
    """One log-in attempt, failed or successful (the audit log proper is built separately)."""

    __tablename__ = "login_events"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    success: Mapped[bool]
    # wrong_password, unknown_user, inactive, locked, wrong_code, ok
    reason: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), index=True
    )


class UserSession(TenantModel):
    """One signed-in browser. The session cookie names it; deleting the row ends it, so a
    copied session or remember-me cookie stops working at log-out (app/auth/sessions.py)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    last_seen_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
