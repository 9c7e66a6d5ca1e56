"""Pipeline stages (tenant schema), configurable per tenant (app/sales/stages.py)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class PipelineStage(TenantModel):
    __tablename__ = "pipeline_stages"
    __table_args__ = (
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability_percent"),
        sa.CheckConstraint("outcome IN ('open', 'won', 'lost')", name="outcome_known"),
    )

    __audited__ = True

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    probability: Mapped[int] = mapped_column(sa.SmallInteger)
    outcome: Mapped[str] = mapped_column(sa.String(8), default="open")
    # Set when an admin removes the stage: it leaves the board and the forms, and stays
    # here because the stage history of past deals refers to it.
    removed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def closed(self) -> bool:
        return self.outcome != "open"
