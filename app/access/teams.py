"""Record teams and shares (tenant schema): who works a record besides its owner.

A team member is a user added to one record (a customer, an opportunity) with a
role; a share opens one record to a unit, for reading or for reading and editing.
Both name the record as an app.records (type key, id) pair, so contacts, quotes
and orders can get teams of their own later without a new table.

app.access.visibility reads these tables in the same WHERE clause as the owner
and unit, never through precomputed sharing rows.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

# The record types that have a Team panel today.
TEAM_TYPES = ("customer", "opportunity")
TEAM_ROLES = ("sales", "support", "technical", "executive_sponsor")
SHARE_ACCESS = ("read", "edit")


class TeamMember(TenantModel):
    __tablename__ = "record_team_members"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("record_type", "record_id", "user_id",
                            name="uq_record_team_members_one_membership"),
        # visible_to: "the records of this type whose team I am on"
        sa.Index("ix_record_team_members_user", "user_id", "record_type", "record_id"),
        sa.CheckConstraint(
            "role IN ('sales', 'support', 'technical', 'executive_sponsor')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[int] = mapped_column(sa.BigInteger)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(sa.String(20))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())


class RecordShare(TenantModel):
    __tablename__ = "record_shares"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("record_type", "record_id", "unit_id",
                            name="uq_record_shares_one_share"),
        # visible_to: "the records of this type shared with my units"
        sa.Index("ix_record_shares_unit", "unit_id", "record_type", "record_id"),
        sa.CheckConstraint("access IN ('read', 'edit')", name="access_known"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[int] = mapped_column(sa.BigInteger)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    access: Mapped[str] = mapped_column(sa.String(8), default="read")
    shared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
