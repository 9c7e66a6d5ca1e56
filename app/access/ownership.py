"""Records owned by a user, and handing them all to another user in bulk.

Each module that has owned records registers its table and owner column once,
at import time (`register_owned(Customer.__table__, "owner_id", _l("Customers"))`);
`reassign_records` then moves every registered kind in one UPDATE each.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db


@dataclass(frozen=True)
class OwnedRecords:
    table: sa.Table
    column: str
    label: object


OWNED_RECORDS: list[OwnedRecords] = []


def register_owned(table: sa.Table, column: str, label) -> None:
    """Declare that table's rows belong to the user named in column."""
    if any(entry.table is table and entry.column == column for entry in OWNED_RECORDS):
        return
    OWNED_RECORDS.append(OwnedRecords(table, column, label))


def owned_counts(user_id: int) -> list[tuple[object, int]]:
    """(label, how many) of every kind of record the user owns, for the confirmation page."""
    counts = []
    for entry in OWNED_RECORDS:
        column = entry.table.c[entry.column]
        counts.append((entry.label, db.session.scalar(
            sa.select(sa.func.count()).select_from(entry.table).where(column == user_id))))
    return counts


def reassign_records(from_user_id: int, to_user_id: int) -> dict[str, int]:
    """Move every registered record of from_user to to_user; return rows moved per table."""
    moved = {}
    for entry in OWNED_RECORDS:
        column = entry.table.c[entry.column]
        result = db.session.execute(
            sa.update(entry.table).where(column == from_user_id).values({column: to_user_id})
        )
        moved[entry.table.name] = result.rowcount
    db.session.flush()
    return moved


def _register_builtin() -> None:
    from app.org.models import UnitManager

    register_owned(UnitManager.__table__, "user_id", _l("Units managed"))


_register_builtin()
