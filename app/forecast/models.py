"""Exchange rates (tenant schema): 1 unit of `currency` = `rate` units of the tenant's currency."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel


class ExchangeRate(TenantModel):
    __tablename__ = "exchange_rates"
    __audited__ = True
    __table_args__ = (sa.CheckConstraint("rate > 0", name="rate_positive"),)

    currency: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(18, 8))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
