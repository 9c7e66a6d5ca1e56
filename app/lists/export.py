"""The one export writer for lists: CSV (UTF-8 with BOM, so Excel reads Chinese) or Excel.

Text that a spreadsheet would run as a formula (= + - @ …) is neutralized in
both formats: a list export is opened by people, in Excel.
"""
import csv
import io
from flask import Response, abort, request
from openpyxl import Workbook

from app.downloads import handed_out
from app.export.workbook import cell_value, safe_text
from app.i18n import workspace_today

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


def requested_format() -> str:
    """The ?format= of an export request: csv (the default) or xlsx; anything else is a 400."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(400)
    return fmt


def export_response(fmt: str, name: str, columns, records, **details) -> Response:
    """records as a download <name>-<date>.csv/.xlsx, one column per list Column, and an
    "export" entry in the audit log with the format, the request's filters and details."""
    from app.audit import services as audit

    rows = ([column.value(record) for column in columns] for record in records)
    data = write_rows(fmt, [str(column.label) for column in columns], rows)
    audit.record("export", record_type=name,
                 details={"format": fmt, "filters": dict(request.args), **details})
    handed_out("export", f"{name}.{fmt}", tenant_entry=False)
    mimetype, extension = FORMATS[fmt]
    filename = f"{name}-{workspace_today().isoformat()}.{extension}"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
