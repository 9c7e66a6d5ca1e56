"""Keyset pagination: newest first, the next page starts below the last key shown.

Unlike OFFSET, the cost of a page does not grow with how deep it is, and rows
added meanwhile do not shift what the next page shows.
"""
from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: int | None  # pass as `before` for the next (older) page; None: no more


def keyset_page(session, stmt: sa.Select, key_column, before: int | None, size: int) -> KeysetPage:
    """One page of stmt ordered by key_column descending, starting below `before`."""
    if before is not None:
        stmt = stmt.where(key_column < before)
    rows = session.scalars(stmt.order_by(key_column.desc()).limit(size + 1)).all()
    if len(rows) <= size:
        return KeysetPage(list(rows), None)
    return KeysetPage(list(rows[:size]), getattr(rows[size - 1], key_column.key))
