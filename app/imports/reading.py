"""Reading an uploaded table: CSV in any common encoding (UTF-8, GBK, Big5, UTF-16) or Excel."""
import csv
import io

import charset_normalizer
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000


class UnreadableFile(ValueError):
    pass


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 when it is; otherwise GB18030 (⊃ GBK) or Big5,
    whichever reads as Chinese, and only then any other encoding we can recognise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    sample = data[:200_000]
    best = (charset_normalizer.from_bytes(sample, cp_isolation=["gb18030", "big5"]).best()
            or charset_normalizer.from_bytes(sample).best())
    if best is None:
        raise UnreadableFile(_l("The file is not text we can read. Save it as CSV (UTF-8) or Excel."))
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile(_l("The file mixes text encodings. Save it as CSV (UTF-8) or Excel."))


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile(_l("This is not an Excel (.xlsx) file we can open."))
    sheet = workbook.worksheets[0]
    rows = [["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(filename: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of an uploaded file; UnreadableFile with a reason.

    Blank rows stay in place (validation skips them) so that row numbers in
    error reports are the line numbers the user sees in the spreadsheet."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_l("The file is larger than 50 MB. Split it into smaller files."))
    if not data:
        raise UnreadableFile(_l("The file is empty."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt", ".tsv")):
        rows = _csv_rows(decode_csv(data))
    else:
        raise UnreadableFile(_l("Upload a .csv or .xlsx file."))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) < 2:
        raise UnreadableFile(_l("The file has no rows below its header row."))
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile(_l("The file has more than 500,000 rows. Split it into smaller files."))
    headers = [h.strip() for h in rows[0]]
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in rows[1:]]
