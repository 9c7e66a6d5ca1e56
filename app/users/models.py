"""Invitations (tenant schema): a user-to-be, until the invitee sets a password."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.access.models import Role
from app.db_base import TenantModel


class Invitation(TenantModel):
    __tablename__ = "invitations"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'revoked')", name="status_known"
        ),
        # One open invitation per address.
        sa.Index(
            "uq_invitations_pending_email", sa.func.lower(sa.text("email")), unique=True,
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    # Bumped on resend and revoke: older links stop working.
    version: Mapped[int] = mapped_column(default=1)
    sent_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    role: Mapped[Role] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Invitation {self.email} {self.status}>"
