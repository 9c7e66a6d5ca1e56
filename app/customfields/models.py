"""Custom field definitions (tenant schema). Values live in each record's `custom` JSONB."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

FIELD_TYPES = ("text", "long_text", "number", "money", "date", "choice", "multi_choice",
               "yes_no", "user")
ENTITIES = ("customers", "contacts", "opportunities", "tickets")


class CustomField(TenantModel):
    __tablename__ = "custom_fields"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("entity", "key", name="uq_custom_fields_entity_key"),
        sa.CheckConstraint(
            "type IN ('text', 'long_text', 'number', 'money', 'date', 'choice', 'multi_choice', "
            "'yes_no', 'user')", name="type_known"),
    )

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    entity: Mapped[str] = mapped_column(sa.String(20))
    key: Mapped[str] = mapped_column(sa.String(40))
    label: Mapped[str] = mapped_column(sa.String(80))
    type: Mapped[str] = mapped_column(sa.String(16))
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    help_text: Mapped[str | None] = mapped_column(sa.String(200))
    options: Mapped[list] = mapped_column(JSONB, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
