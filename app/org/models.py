"""Units of the organisation tree (tenant schema) and who manages each."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

UNIT_KINDS = ("head_office", "region", "department", "store")


class Unit(TenantModel):
    __tablename__ = "units"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('head_office', 'region', 'department', 'store')", name="kind_known"
        ),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(16))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    def __repr__(self) -> str:
        return f"<Unit {self.name}>"


class UnitManager(TenantModel):
    """The manager of a unit, apart from `units` so units and users do not reference each other."""

    __tablename__ = "unit_managers"

    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("units.id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
