"""Table rows as Excel cells that open safely.

A text cell starting with = + - @ (or a tab or carriage return) would be read
by a spreadsheet as a formula (formula injection, e.g. =HYPERLINK(...) typed
into a ticket by a customer); it gets a leading apostrophe so it stays text.
"""
import json
from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_ROWS = 1_048_575  # Excel's limit, less the header row


def safe_text(text: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """A value openpyxl can write and Excel shows as data, never as a formula."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, datetime) or type(value).__name__ in ("date", "time"):
        return value
    if isinstance(value, (dict, list)):
        return safe_text(json.dumps(value, ensure_ascii=False))
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return safe_text(str(value))


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def add_sheet(workbook: Workbook, connection, table: sa.Table) -> int:
    """One sheet named after the table: a header row, then its rows by primary key."""
    sheet = workbook.create_sheet(title=table.name[:31])
    sheet.append([column.name for column in table.columns])
    order = list(table.primary_key.columns) or list(table.columns)[:1]
    result = connection.execution_options(stream_results=True).execute(
        sa.select(*table.columns).order_by(*order)
    )
    written = 0
    with result:
        for row in result:
            if written == MAX_SHEET_ROWS:
                break  # the CSV file of the table has every row
            sheet.append([cell_value(value) for value in row])
            written += 1
    return written
