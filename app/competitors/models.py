"""Competitors and the SWOT of each deal against one (tenant schema)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel
from app.search.builder import gin_index, search_vector_column


class Competitor(TenantModel):
    __tablename__ = "competitors"
    __audited__ = True
    __audit_ignore__ = ("search_vector",)
    __table_args__ = (
        sa.Index("uq_competitors_name_lower", sa.func.lower(sa.text("name")), unique=True),
        gin_index("competitors"),
        sa.CheckConstraint("price_position IS NULL OR price_position IN "
                           "('lower', 'similar', 'higher')", name="price_position_known"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    products: Mapped[str | None] = mapped_column(sa.Text)
    strengths: Mapped[str | None] = mapped_column(sa.Text)
    weaknesses: Mapped[str | None] = mapped_column(sa.Text)
    price_position: Mapped[str | None] = mapped_column(sa.String(8))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    search_vector: Mapped[str | None] = search_vector_column()
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())


class OpportunityCompetitor(TenantModel):
    """A competitor in one deal, with the SWOT of our position against it and our strategy."""

    __tablename__ = "opportunity_competitors"
    __audited__ = True
    __audit_ignore__ = ("search_vector",)
    __table_args__ = (gin_index("opportunity_competitors"),)

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True)
    competitor_id: Mapped[int] = mapped_column(sa.ForeignKey("competitors.id"), primary_key=True,
                                               index=True)
    strengths: Mapped[str | None] = mapped_column(sa.Text)
    weaknesses: Mapped[str | None] = mapped_column(sa.Text)
    opportunities: Mapped[str | None] = mapped_column(sa.Text)
    threats: Mapped[str | None] = mapped_column(sa.Text)
    strategy: Mapped[str | None] = mapped_column(sa.Text)
    search_vector: Mapped[str | None] = search_vector_column()
