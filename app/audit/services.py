"""Writing admin actions to the audit log and reading it back for the viewer."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.capture import actor, plain
from app.audit.models import AuditEntry
from app.db_base import TenantModel
from app.extensions import db
from app.pagination import KeysetPage, keyset_page
from tenants.context import require_tenant, set_schema_on

ACTION_NAMES = {
    "create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"),
    "login": _l("Logged in"), "login_failed": _l("Failed log-in"),
    "export_requested": _l("Export requested"), "export_downloaded": _l("Export downloaded"),
    "impersonation_download": _l("Downloaded by provider staff"),
}
RECORD_TYPE_NAMES = {
    "users": _l("User"), "roles": _l("Role"), "pipeline_stages": _l("Pipeline stage"),
    "branding": _l("Branding"),
}
PAGE_SIZE = 50


def _row(action: str, record_type, record_id, details: dict | None, user) -> dict:
    row = {**actor(), "action": action, "record_type": record_type,
           "record_id": None if record_id is None else str(record_id),
           "changes": {k: plain(v) for k, v in (details or {}).items()}}
    if user is not None:
        row["user_id"], row["user_label"] = user.id, user.email
    return row


def record(action: str, record_type: str | None = None, record_id=None,
           details: dict | None = None, user=None) -> AuditEntry:
    """Log an admin action in the current transaction (it is kept only if that commits)."""
    entry = AuditEntry(**_row(action, record_type, record_id, details, user))
    db.session.add(entry)
    return entry


def record_now(action: str, details: dict | None = None, user=None) -> None:
    """Log an action in a transaction of its own: kept even when the request rolls back.

    For events whose request fails on purpose, such as a failed log-in.
    """
    row = _row(action, None, None, details, user)
    with db.engine.begin() as connection:
        set_schema_on(connection, require_tenant().schema)
        connection.execute(sa.insert(AuditEntry.__table__), [row])


def record_types() -> list[str]:
    """The table names of every audited record type."""
    return sorted(
        mapper.class_.__tablename__ for mapper in TenantModel.registry.mappers
        if getattr(mapper.class_, "__audited__", False)
    )


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    action: str | None = None
    record_type: str | None = None
    since: date | None = None  # inclusive, in time_zone
    until: date | None = None  # inclusive, in time_zone
    time_zone: str = "UTC"

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.time_zone))

    def apply(self, stmt: sa.Select) -> sa.Select:
        if self.user_id is not None:
            stmt = stmt.where(AuditEntry.user_id == self.user_id)
        if self.action:
            stmt = stmt.where(AuditEntry.action == self.action)
        if self.record_type:
            stmt = stmt.where(AuditEntry.record_type == self.record_type)
        if self.since:
            stmt = stmt.where(AuditEntry.at >= self._start_of(self.since))
        if self.until:
            stmt = stmt.where(AuditEntry.at < self._start_of(self.until + timedelta(days=1)))
        return stmt


def search(filters: AuditFilter, before: int | None = None, size: int = PAGE_SIZE) -> KeysetPage:
    """Entries matching filters, newest first, a page at a time."""
    stmt = filters.apply(sa.select(AuditEntry))
    return keyset_page(db.session, stmt, AuditEntry.id, before, size)

