"""The tenant registry (public schema): which businesses exist and where their data lives."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import PublicModel
from tenants.schema_names import new_files_key


class Tenant(PublicModel):
    __tablename__ = "tenants"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pooled', 'active', 'suspended', 'canceled')", name="status_known"
        ),
        sa.CheckConstraint("(status = 'pooled') = (slug IS NULL)", name="pooled_has_no_slug"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    slug: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    schema_name: Mapped[str] = mapped_column(sa.String(63), unique=True)
    # The name of the tenant's upload and export folders: random and never reused, unlike the
    # schema name, which a new sign-up at the same address gets again (tenants/files.py).
    files_key: Mapped[str] = mapped_column(sa.String(63), unique=True, default=new_files_key)
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    locale: Mapped[str] = mapped_column(sa.String(16), default="zh_Hans")
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    currency: Mapped[str] = mapped_column(sa.String(3), default="CNY")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    activated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def is_usable(self) -> bool:
        return self.status == "active"

    def __repr__(self) -> str:
        return f"<Tenant {self.slug or self.schema_name} {self.status}>"
