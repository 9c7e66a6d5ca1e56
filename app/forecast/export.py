"""The forecast as an Excel workbook (openpyxl). Text cells go through the export writer's
cell_value, so a deal or rep name starting with = + - @ can never run as a formula."""
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from app.export.workbook import cell_value
from app.forecast.services import FIGURES, Forecast


def forecast_workbook(result: Forecast) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Forecast")[:31])
    names = {"weighted": _("Weighted"), "committed": _("Committed"),
             "best_case": _("Best case"), "closed_won": _("Closed won")}
    sheet.append([cell_value(_("Period")), cell_value(_("Group")), cell_value(_("Deals"))]
                 + [cell_value(f"{names[f]} ({result.currency})") for f in FIGURES])
    for row in [*result.rows]:
        sheet.append([cell_value(row.period), cell_value(row.group), row.deals]
                     + [row.figures[f] for f in FIGURES])
    sheet.append([cell_value(_("Total")), "", result.totals.deals]
                 + [result.totals.figures[f] for f in FIGURES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
