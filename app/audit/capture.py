"""Field-level audit of the ORM: every flush of an audited record writes its entries.

A TenantModel opts in with `__audited__ = True`; `__audit_ignore__` names
fields not worth an entry (a last-login time), `__audit_redact__` fields whose
values must not be copied (a password hash: the entry says it changed).
The entries are inserted on the flush's own connection, so they commit or
roll back with the change they describe.
"""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.db_base import TenantModel

REDACTED = "***"


def is_audited(obj) -> bool:
    return isinstance(obj, TenantModel) and getattr(type(obj), "__audited__", False)


def plain(value):
    """A JSON-safe copy of a column value."""
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    return str(value)


def actor() -> dict:
    """Who is acting: the signed-in user of this request, or nobody (a job, the CLI)."""
    if not has_request_context():
        return {"user_id": None, "user_label": "", "ip": None}
    user = current_user
    signed_in = getattr(user, "is_authenticated", False)
    label = getattr(user, "email", "") if signed_in else ""
    impersonator = g.get("impersonator")
    if impersonator is not None:  # provider staff viewing as this user: name who really acted
        label = f"{impersonator.email} (provider staff, as {label})"[:254]
    return {
        "user_id": user.id if signed_in and isinstance(user, TenantModel) else None,
        "user_label": label,
        "ip": (request.remote_addr or "")[:45] or None,
    }


def _fields(obj):
    cls = type(obj)
    ignored = getattr(cls, "__audit_ignore__", frozenset())
    return [attr.key for attr in inspect(cls).column_attrs if attr.key not in ignored]


def _shown(obj, key, value):
    return REDACTED if key in getattr(type(obj), "__audit_redact__", frozenset()) else plain(value)


def _snapshot(obj) -> dict:
    loaded = inspect(obj).dict
    return {key: [None, _shown(obj, key, loaded[key])] for key in _fields(obj) if key in loaded}


def _diff(obj) -> dict:
    state, changes = inspect(obj), {}
    for key in _fields(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        changes[key] = [_shown(obj, key, before), _shown(obj, key, after)]
    return changes


def _record_id(obj) -> str:
    key = inspect(type(obj)).primary_key_from_instance(obj)
    return ",".join(str(v) for v in key if v is not None) or "?"


def _entry(action: str, obj, changes: dict) -> dict:
    return {"action": action, "record_type": obj.__tablename__, "record_id": _record_id(obj),
            "changes": changes}


def entries_for_flush(session) -> list[dict]:
    entries = [_entry("create", o, _snapshot(o)) for o in session.new if is_audited(o)]
    for obj in session.dirty:
        if is_audited(obj) and (changes := _diff(obj)):
            entries.append(_entry("update", obj, changes))
    for obj in session.deleted:
        if is_audited(obj):
            before = {k: [v[1], None] for k, v in _snapshot(obj).items()}
            entries.append(_entry("delete", obj, before))
    return entries


@event.listens_for(Session, "after_flush")
def _audit_flush(session, _flush_context):
    entries = entries_for_flush(session)
    if entries:
        who = actor()
        session.connection().execute(
            sa.insert(AuditEntry.__table__), [{**who, **entry} for entry in entries]
        )
