"""Roles (tenant schema). A role grants actions per module and a record visibility."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

VISIBILITIES = ("own", "unit", "unit_tree", "all")
# What a role can grant: an action on a module. "admin" on the "admin" module
# opens the tenant administration; {"*": ["admin"]} marks an owner role.
# "margins" has one meaningful action, view: seeing product costs and quote margins.
# "tasks" guards tasks (each user's own work; record visibility says whose tasks are seen).
MODULES = ("customers", "contacts", "sales", "products", "margins", "service", "calls", "reports",
           "tasks", "admin")
ACTIONS = ("view", "create", "edit", "delete", "export", "admin")


class Role(TenantModel):
    __tablename__ = "roles"
    __table_args__ = (
        sa.CheckConstraint(
            "visibility IN ('own', 'unit', 'unit_tree', 'all')", name="visibility_known"
        ),
    )

    __audited__ = True

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # {"customers": ["view", "create", ...], ...}
    permissions: Mapped[dict] = mapped_column(JSONB, default=dict)
    visibility: Mapped[str] = mapped_column(sa.String(16), default="own")
    is_system: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )

    @property
    def is_owner(self) -> bool:
        return "admin" in self.permissions.get("*", ())

    def allows(self, module: str, action: str) -> bool:
        return self.is_owner or action in self.permissions.get(module, ())
