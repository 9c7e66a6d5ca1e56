"""Import jobs and remembered column mappings (tenant schema)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

POLICIES = ("skip", "update", "create")


class ImportJob(TenantModel):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(sa.Identity(), primary_key=True)
    target: Mapped[str] = mapped_column(sa.String(30))
    filename: Mapped[str] = mapped_column(sa.String(255))
    file_key: Mapped[str] = mapped_column(sa.String(120))
    policy: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(8), default="pending")
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    # [[line, column, message], ...] for the downloadable error report
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    message: Mapped[str | None] = mapped_column(sa.Text)
    # What the mapping page needs, read once at upload: the page never re-reads the file.
    headers: Mapped[list] = mapped_column(JSONB, default=list)
    sample: Mapped[list] = mapped_column(JSONB, default=list)
    # The workbook's sheets (Excel) and the one chosen; None for a CSV file.
    sheets: Mapped[list] = mapped_column(JSONB, default=list)
    sheet: Mapped[str | None] = mapped_column(sa.String(100))
    # Phone numbers without a country code are read as this region (unless the row says).
    region: Mapped[str | None] = mapped_column(sa.String(2))
    # "check" while rows are validated, "write" while they are saved (progress shows which).
    stage: Mapped[str | None] = mapped_column(sa.String(8))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now())
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ImportMapping(TenantModel):
    """The column mapping a user last used for a target, offered again next time."""

    __tablename__ = "import_mappings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    target: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    # {"header text": "field name"}
    mapping: Mapped[dict] = mapped_column(JSONB, default=dict)
