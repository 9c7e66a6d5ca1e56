"""The one export writer for lists: CSV (UTF-8 with BOM, so Excel reads Chinese) or Excel.

Text that a spreadsheet would run as a formula (= + - @ …) is neutralized in
both formats: a list export is opened by people, in Excel.
"""
import csv
import io

from openpyxl import Workbook

from app.export.workbook import cell_value, safe_text

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _csv_cell(value) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    return safe_text(str(value)) if isinstance(value, str) else str(value)


def write_rows(fmt: str, headers: list[str], rows) -> bytes:
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("export")
        sheet.append([safe_text(str(h)) for h in headers])
        for row in rows:
            sheet.append([cell_value(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
