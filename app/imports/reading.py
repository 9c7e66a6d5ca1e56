"""Reading an uploaded table: CSV in any common encoding (UTF-8, GBK, Big5, UTF-16) or Excel.

Rows are streamed and the caps (rows, columns, cells) are checked while reading, so a
small hostile file (an .xlsx declaring 16,384 columns) cannot make a worker build a huge
table first.
"""
import csv
import io
from itertools import islice

import charset_normalizer
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 200
MAX_CELLS = 20_000_000
# Encoding detection reads this much, cut back to the last line break before it.
DETECTION_WINDOW = 200_000
CHINESE_ENCODINGS = ("gb18030", "big5")


class UnreadableFile(ValueError):
    pass


def detection_window(data: bytes, size: int = DETECTION_WINDOW) -> bytes:
    """The first `size` bytes, ending on a character boundary: at the last line feed. In
    GBK/GB18030 and Big5 no byte of a multi-byte character is 0x0A, so a window cut after
    one never splits a character (a split one made detection refuse about half of files)."""
    if len(data) <= size:
        return data
    cut = data.rfind(b"\n", 0, size)
    return data[:cut + 1] if cut > 0 else data[:size]


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 when it is; otherwise GB18030 (⊃ GBK) or Big5,
    whichever reads as Chinese, and only then any other encoding we can recognise. The
    guess, made on a window, is confirmed by decoding the whole file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    sample = detection_window(data)
    best = (charset_normalizer.from_bytes(sample, cp_isolation=list(CHINESE_ENCODINGS)).best()
            or charset_normalizer.from_bytes(sample).best())
    if best is None:
        raise UnreadableFile(_l("The file is not text we can read. Save it as CSV (UTF-8) or Excel."))
    for encoding in dict.fromkeys((best.encoding, *CHINESE_ENCODINGS)):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableFile(_l("The file mixes text encodings. Save it as CSV (UTF-8) or Excel."))


def _csv_rows(text: str):
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _open_workbook(data: bytes):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile(_l("This is not an Excel (.xlsx) file we can open."))


def sheet_names(filename: str, data: bytes) -> list[str]:
    """The worksheets of an Excel file, in order; [] for a CSV file."""
    if not filename.lower().endswith(".xlsx"):
        return []
    workbook = _open_workbook(data)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _xlsx_rows(data: bytes, sheet: str | None):
    workbook = _open_workbook(data)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise UnreadableFile(_l("The workbook has no sheet of that name."))
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # The declared dimension is not trusted: without this, every row is padded to it.
        worksheet.reset_dimensions()
        for row in worksheet.iter_rows(values_only=True):
            yield ["" if cell is None else str(cell).strip() for cell in row]
    finally:
        workbook.close()


def _capped(rows):
    """The rows, each cut after its last non-empty cell; UnreadableFile as soon as a cap is
    passed (before the rest of the file is read)."""
    cells = 0
    for count, row in enumerate(rows, start=1):
        while row and not row[-1].strip():
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise UnreadableFile(_l("The file has more than %(max)s columns.", max=MAX_COLUMNS))
        if count > MAX_ROWS + 1:
            raise UnreadableFile(_l("The file has more than 500,000 rows. Split it into smaller files."))
        cells += len(row)
        if cells > MAX_CELLS:
            raise UnreadableFile(_l("The file has too many cells. Split it into smaller files."))
        yield row


def read_table(filename: str, data: bytes, sheet: str | None = None,
               limit: int | None = None) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of an uploaded file (of its sheet `sheet`, else the first); with
    `limit`, only the first `limit` rows are read. UnreadableFile with a reason.

    Blank rows stay in place (validation skips them) so that row numbers in
    error reports are the line numbers the user sees in the spreadsheet."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_l("The file is larger than 50 MB. Split it into smaller files."))
    if not data:
        raise UnreadableFile(_l("The file is empty."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        source = _xlsx_rows(data, sheet)
    elif name.endswith((".csv", ".txt", ".tsv")):
        source = _csv_rows(decode_csv(data))
    else:
        raise UnreadableFile(_l("Upload a .csv or .xlsx file."))
    rows = list(islice(_capped(source), None if limit is None else limit + 1))
    while rows and not rows[-1]:
        rows.pop()
    if len(rows) < 2:
        raise UnreadableFile(_l("The file has no rows below its header row."))
    headers = [h.strip() for h in rows[0]]
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in rows[1:]]
