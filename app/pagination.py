"""Keyset pagination: the next page starts after the last (sort value, id) shown.

Unlike OFFSET, the cost of a page does not grow with how deep it is (page
1,000 of a 100,000-row list costs what page 1 costs, given an index on the
sort column and id), and rows added meanwhile do not shift what the next page
shows. The cursor is opaque to the browser: base64 of [sort value, id].
"""
import base64
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.exceptions import BadRequest

COUNT_CAP = 1000


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: object  # None: no more pages


def keyset_page(session, stmt: sa.Select, key_column, before: int | None, size: int) -> KeysetPage:
    """One page of stmt ordered by an integer key descending, starting below `before`."""
    if before is not None:
        stmt = stmt.where(key_column < before)
    rows = session.scalars(stmt.order_by(key_column.desc()).limit(size + 1)).all()
    if len(rows) <= size:
        return KeysetPage(list(rows), None)
    return KeysetPage(list(rows[:size]), getattr(rows[size - 1], key_column.key))


def _plain(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def _typed(value):
    if isinstance(value, dict) and "t" in value:
        return datetime.fromisoformat(value["t"])
    if isinstance(value, dict) and "d" in value:
        return Decimal(value["d"])
    return value


def encode_cursor(value, row_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([_plain(value), row_id]).encode()).decode()


def decode_cursor(cursor: str | None, sort_type: type | None = None):
    """(sort value, id), or None for the first page. A cursor this app did not write (or one
    whose value does not fit the sort column) is a 400: sent on, it failed in the database."""
    if not cursor:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value, row_id = _typed(value), int(row_id)
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        raise BadRequest("The page link is damaged.")
    if not _fits(value, sort_type) or not -2 ** 63 <= row_id < 2 ** 63:
        raise BadRequest("The page link is damaged.")
    return value, row_id


_NUMBERS = (int, float, Decimal)


def _fits(value, sort_type: type | None) -> bool:
    if isinstance(value, str) and "\x00" in value:
        return False  # PostgreSQL text cannot hold NUL
    if sort_type is None:
        return isinstance(value, (str, datetime, *_NUMBERS)) and not isinstance(value, bool)
    if sort_type in _NUMBERS:
        return isinstance(value, _NUMBERS) and not isinstance(value, bool)
    return isinstance(value, sort_type)


def _python_type(expr) -> type | None:
    try:
        return expr.type.python_type
    except NotImplementedError:  # e.g. a function without a declared type
        return None


def sorted_page(session, stmt: sa.Select, sort_expr, id_column, descending: bool,
                cursor: str | None, size: int) -> KeysetPage:
    """A page of stmt (selecting one entity) ordered by (sort_expr, id), after `cursor`.

    sort_expr must not be NULL (coalesce nullable columns) so the tuple comparison holds."""
    after = decode_cursor(cursor, _python_type(sort_expr))
    key = sa.tuple_(sort_expr, id_column)
    if after is not None:
        bound = sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
        stmt = stmt.where(key < bound if descending else key > bound)
    order = (sort_expr.desc(), id_column.desc()) if descending else (sort_expr, id_column)
    rows = session.execute(stmt.add_columns(sort_expr.label("_sort")).order_by(*order)
                           .limit(size + 1)).all()
    items = [row[0] for row in rows[:size]]
    if len(rows) <= size:
        return KeysetPage(items, None)
    last = rows[size - 1]
    return KeysetPage(items, encode_cursor(last._sort, last[0].id))


def capped_count(session, stmt: sa.Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): counting stops at cap, so a 100,000-row list shows "1,000+" fast."""
    limited = stmt.with_only_columns(sa.literal(1)).order_by(None).limit(cap + 1).subquery()
    count = session.scalar(sa.select(sa.func.count()).select_from(limited))
    return min(count, cap), count > cap
