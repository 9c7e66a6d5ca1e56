"""What a rule may name on each record type: its fields, their kinds and labels.

The catalogue is read from the model's columns, so any type registered with
app.records (tasks, meetings, tickets as they land) can be automated without
this package knowing it; hints.py only adds labels, choices and the fields a
rule may set.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.automation import hints
from app.records import is_record_type, record_type, record_types

# Columns that are plumbing, not something a person would write a rule about.
HIDDEN = {"id", "custom", "search_vector", "merged_into_id", "deleted_at", "password_hash",
          "phone_e164", "mobile_e164", "series_id", "is_current", "tier_is_manual"}


@dataclass(frozen=True)
class Field:
    key: str
    label: object
    kind: str  # "text" | "choice" | "number" | "date" | "datetime" | "bool" | "id"
    column: object
    choices: tuple = ()  # (value, label) for a choice field


def _kind_of(column) -> str | None:
    if column.foreign_keys:
        return "id"
    python = _python_type(column)
    if python is bool:
        return "bool"
    if python is datetime:
        return "datetime"
    if python is date:
        return "date"
    if python in (int, Decimal, float):
        return "number"
    if python is str:
        return "text"
    return None  # arrays, JSON: not offered


def _python_type(column):
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def automatable(key: str) -> bool:
    return is_record_type(key)


def automatable_types() -> list:
    return record_types()


_catalogues: dict[str, dict[str, Field]] = {}


def fields_of(type_key: str) -> dict[str, Field]:
    """key → Field for the record type (empty for an unknown type). Read once per type:
    every flush asks, for each changed record."""
    if not is_record_type(type_key):
        return {}
    if type_key not in _catalogues:
        _catalogues[type_key] = _read_fields(type_key)
    return _catalogues[type_key]


def _read_fields(type_key: str) -> dict[str, Field]:
    model = record_type(type_key).model
    found = {}
    for column in model.__table__.columns:
        kind = _kind_of(column)
        if kind is None or column.key in HIDDEN:
            continue
        choices = hints.choices(type_key, column.key)
        found[column.key] = Field(column.key, hints.label(column.key),
                                  "choice" if choices else kind, getattr(model, column.key),
                                  choices)
    return found


def date_fields(type_key: str) -> dict[str, Field]:
    return {k: f for k, f in fields_of(type_key).items() if f.kind in ("date", "datetime")}


def settable_fields(type_key: str) -> dict[str, Field]:
    """The fields a rule's "set a field" action may write: only those declared safe."""
    every = fields_of(type_key)
    return {key: every[key] for key in hints.SAFE_FIELDS.get(type_key, ()) if key in every}


def live_condition(type_key: str):
    """The WHERE that keeps deleted records (and old quote versions) out of a rule's reach."""
    model = record_type(type_key).model
    columns = model.__table__.c
    conditions = []
    if "deleted_at" in columns:
        conditions.append(model.deleted_at.is_(None))
    if "is_current" in columns:
        conditions.append(model.is_current.is_(True))
    return sa.and_(sa.true(), *conditions)


def parse_value(field: Field, raw: str):
    """The Python value of raw for field, or ValueError (the form shows it on the field)."""
    raw = (raw or "").strip()
    if field.kind == "choice":
        if raw not in dict(field.choices):
            raise ValueError(raw)
        return raw
    if field.kind in ("number", "id"):
        number = Decimal(raw.replace(",", ""))  # InvalidOperation is an ArithmeticError
        return int(number) if field.kind == "id" or _python_type(field.column) is int else number
    if field.kind == "date":
        return date.fromisoformat(raw)
    if field.kind == "bool":
        if raw not in ("yes", "no"):
            raise ValueError(raw)
        return raw == "yes"
    if field.kind == "datetime":
        return datetime.fromisoformat(raw)
    return raw


def as_text(value) -> str | None:
    """How a value is compared with a rule's "becomes" value and written in the log."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
