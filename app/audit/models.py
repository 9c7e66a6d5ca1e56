"""Audit entries (tenant schema), append-only.

user_id has no foreign key on purpose: an entry must outlive anything it
names, and a cascading SET NULL would be an UPDATE, which the trigger below
refuses. user_label keeps who it was as it was then.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel

# The database refuses any UPDATE, DELETE or TRUNCATE of audit_log, whatever
# the app does. tenants/ddl.py adds these to every new schema; migration
# 0003_audit_export adds them to existing ones.
APPEND_ONLY_DDL = [
    "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit log entries cannot be changed or deleted'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
]


class AuditEntry(TenantModel):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), index=True
    )
    user_id: Mapped[int | None] = mapped_column(index=True)
    user_label: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    record_type: Mapped[str | None] = mapped_column(sa.String(60))
    record_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Record changes: {"field": [before, after]}; admin actions: what they concern.
    changes: Mapped[dict] = mapped_column(JSONB, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))


TenantModel.metadata.info.setdefault("extra_ddl", []).extend(APPEND_ONLY_DDL)
