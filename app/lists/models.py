"""Saved list views (tenant schema): a user's named filters, columns and sort, shareable with the unit."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class SavedView(TenantModel):
    __tablename__ = "saved_views"
    __table_args__ = (sa.Index("ix_saved_views_module_user", "module", "user_id"),)

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    module: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(80))
    # The list's query string (filters, columns, sort), without the page cursor.
    query: Mapped[str] = mapped_column(sa.Text, default="")
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    shared_with_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
