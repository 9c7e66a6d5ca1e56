"""Record types: the one place that knows, for every kind of record a user can open
(customer, contact, opportunity, quote, order, task, meeting; tickets and the rest as
they land), its model, its name in the reader's language, its page, its title, the
customer it belongs to, and the permission module that guards it.

Timeline subjects, comments and @mentions, followers, notifications, tasks'
related records, teams and shares, and automation rules all name a record as a
(type key, id) pair and resolve it here, so none of them imports the CRM modules,
and a record hidden from a user stays hidden (find_record goes through
app.access.visibility).

A module registers its types from its registry (see app/records/builtin.py).
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from app.access.visibility import find_visible


@dataclass(frozen=True)
class RecordType:
    key: str                      # "customer", "opportunity", … (stored in subject_type columns)
    model: type
    label: object                 # lazy string: "Customer", in the reader's language
    endpoint: str                 # the record's page, e.g. "workspace.customers.show"
    id_arg: str                   # that endpoint's id argument, e.g. "customer_id"
    module: str                   # permission module (app.access.models.MODULES)
    title: Callable[[object], str]               # what a list or a link shows
    customer_id: Callable[[object], int | None]  # the customer whose 360 shows it


_types: dict[str, RecordType] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    _types[record_type.key] = record_type
    return record_type


def record_type(key: str) -> RecordType:
    """KeyError for a type nobody registered: callers validate input with is_record_type()."""
    return _types[key]


def is_record_type(key: str | None) -> bool:
    return key in _types


def record_types() -> list[RecordType]:
    return list(_types.values())


def find_record(key: str, record_id: int | None, user=None):
    """The live record if `user` (default: the signed-in one) may see it, else None."""
    if not is_record_type(key) or record_id is None:
        return None
    return find_visible(_types[key].model, record_id, user)


def record_url(key: str, record_id: int, **kwargs) -> str:
    kind = _types[key]
    return url_for(kind.endpoint, **{kind.id_arg: record_id}, **kwargs)


def record_title(key: str, record) -> str:
    return _types[key].title(record)
