"""Forecast page, its Excel export, and the exchange rates."""
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.customers.forms import CURRENCIES
from app.downloads import handed_out
from app.extensions import db
from app.forecast import rates
from app.forecast.export import forecast_workbook
from app.forecast.models import ExchangeRate
from app.forecast.services import DIMENSIONS, GRAINS, forecast
from app.i18n import workspace_today

bp = Blueprint("forecast", __name__, url_prefix="/forecast")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


def _params() -> dict:
    today = workspace_today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return {"start": _day("from", quarter_start), "end": _day("to", quarter_start + timedelta(days=365)),
            "grain": request.args.get("grain", "month"), "by": request.args.get("by", "none")}


@bp.get("/")
@requires("sales", "view")
def index():
    params = _params()
    try:
        result, problem = forecast(current_user, **params), None
    except rates.MissingRate as error:
        result, problem = None, error.message
    return render_template("forecast/index.html", result=result, problem=problem, params=params,
                           grains=GRAINS, dimensions=DIMENSIONS), 200 if problem is None else 422


@bp.get("/export.xlsx")
@requires("sales", "export")
def export():
    params = _params()
    try:
        data = forecast_workbook(forecast(current_user, **params))
    except rates.MissingRate as error:
        flash(str(error.message), "danger")
        return redirect(url_for("workspace.forecast.index"))
    handed_out("export", f"forecast-{params['start']}.xlsx")
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="forecast-{params["start"]}.xlsx"'})


@bp.get("/rates")
@requires("sales", "view")
def rates_page():
    rows = db.session.scalars(sa.select(ExchangeRate).order_by(ExchangeRate.currency)).all()
    return render_template("forecast/rates.html", rows=rows, base=rates.base_currency(),
                           currencies=CURRENCIES)


@bp.post("/rates")
@requires("admin", "admin")
def set_rate():
    currency = request.form.get("currency", "")
    try:
        rate = Decimal(request.form.get("rate", "").strip())
        if currency not in CURRENCIES or currency == rates.base_currency() or not rate > 0:
            raise InvalidOperation
    except InvalidOperation:
        flash(_("Choose a currency other than %(base)s and a rate above zero, e.g. 7.1234.",
                base=rates.base_currency()), "danger")
        return redirect(url_for("workspace.forecast.rates_page")), 303
    rates.set_rate(currency, rate)
    flash(_("Rate saved."), "success")
    return redirect(url_for("workspace.forecast.rates_page"))


@bp.post("/rates/<currency>/remove")
@requires("admin", "admin")
def remove_rate(currency):
    rates.remove_rate(currency[:3])
    return redirect(url_for("workspace.forecast.rates_page"))
