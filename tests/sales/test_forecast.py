"""Forecast arithmetic, table-driven with currencies; missing rates; visibility; Excel export."""
import io
from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.auth.models import User
from app.extensions import db
from app.forecast.export import forecast_workbook
from app.forecast.rates import MissingRate, set_rate
from app.forecast.services import forecast, period_label
from app.opportunities.models import Opportunity
from app.org.models import Unit
from tests.sales.conftest import customer, owner_id, stage

START, END = date(2026, 1, 1), date(2026, 12, 31)


def add(amount, currency, probability, close, outcome="open", owner=None, unit=None, name="D"):
    target = stage(outcome if outcome != "open" else 1)
    db.session.add(Opportunity(
        name=name, customer_id=customer(f"C-{name}-{amount}").id, amount=D(amount),
        currency=currency, probability=probability, stage_id=target.id,
        expected_close=close, closed_on=close if outcome != "open" else None,
        owner_id=owner or owner_id(), unit_id=unit))
    db.session.flush()


def me():
    return db.session.get(User, owner_id())


# (deals, rates, grain, expected rows: period → (weighted, committed, best case, closed won))
CASES = [
    pytest.param(
        [("1000.00", "CNY", 50, date(2026, 3, 10))], {}, "month",
        {"2026-03": ("500.00", "0.00", "1000.00", "0.00")}, id="one-deal"),
    pytest.param(
        [("1000.00", "CNY", 75, date(2026, 3, 10)), ("333.33", "CNY", 10, date(2026, 3, 31))],
        {}, "month", {"2026-03": ("783.33", "1000.00", "1333.33", "0.00")},
        id="committed-at-75"),       # 750 + 33.333 → 783.33, rounded once
    pytest.param(
        [("100.00", "USD", 50, date(2026, 4, 1)), ("1000.00", "TWD", 100, date(2026, 5, 2))],
        {"USD": "7.1234", "TWD": "0.2215"}, "quarter",
        {"2026-Q2": ("577.67", "221.50", "933.84", "0.00")},
        id="currencies-by-quarter"),  # 356.17 + 221.50; 712.34 + 221.50
    pytest.param(
        [("500.00", "CNY", 100, date(2026, 2, 3), "won"), ("500.00", "CNY", 0, date(2026, 2, 3), "lost"),
         ("800.00", "HKD", 25, date(2026, 2, 20))],
        {"HKD": "0.91"}, "month", {"2026-02": ("182.00", "0.00", "728.00", "500.00")},
        id="won-counts-lost-does-not"),
    pytest.param(
        [("10.00", "CNY", 50, date(2025, 12, 31)), ("10.00", "CNY", 50, date(2027, 1, 1)),
         ("10.00", "CNY", 50, None)], {}, "month", {}, id="outside-the-period"),
]


@pytest.mark.parametrize("deals, rates, grain, expected", CASES)
def test_forecast_figures(scope, deals, rates, grain, expected):
    for currency, rate in rates.items():
        set_rate(currency, D(rate))
    for index, deal in enumerate(deals):
        add(*deal[:4], *(deal[4:] or ["open"]), name=f"D{index}")
    result = forecast(me(), START, END, grain)
    got = {row.period: tuple(str(row.figures[f]) for f in
                             ("weighted", "committed", "best_case", "closed_won"))
           for row in result.rows}
    assert got == expected
    assert result.currency == "CNY"
    for figure in ("weighted", "best_case"):
        assert result.totals.figures[figure] == sum((row.figures[figure] for row in result.rows), D(0))


def test_a_currency_without_a_rate_is_named(scope):
    set_rate("USD", D("7"))
    add("10", "USD", 50, date(2026, 3, 1))
    db.session.execute(sa.text("DELETE FROM exchange_rates"))  # the rate was removed since
    with pytest.raises(MissingRate) as caught:
        forecast(me(), START, END)
    assert caught.value.currencies == ["USD"] and "USD" in str(caught.value.message)


def test_by_rep_and_a_manager_sees_only_their_units(app, scope):
    from app.access.models import Role

    region = Unit(name="华东", kind="region")
    db.session.add(region)
    db.session.flush()
    store = Unit(name="上海店", kind="store", parent_id=region.id)
    other = Unit(name="北京店", kind="store")
    db.session.add_all([store, other])
    db.session.flush()
    manager_role = db.session.scalar(sa.select(Role.id).where(Role.key == "sales_manager"))
    manager = User(email="m@x.example", name="Manager", role_id=manager_role, unit_id=region.id,
                   password_hash="x")
    db.session.add(manager)
    db.session.flush()
    add("100", "CNY", 50, date(2026, 6, 1), unit=store.id, name="mine")
    add("900", "CNY", 50, date(2026, 6, 1), unit=other.id, name="not-mine")
    seen = forecast(manager, START, END, "quarter", "unit")
    assert [(r.period, r.group, r.figures["best_case"]) for r in seen.rows] == [
        ("2026-Q2", "上海店", D("100.00"))]
    everything = forecast(me(), START, END, "month", "owner")
    assert everything.rows[0].group == "Owner" and everything.totals.figures["best_case"] == 1000


def test_excel_export_neutralizes_formulas(scope):
    db.session.add(Unit(name="=HYPERLINK(\"http://evil\")", kind="store"))
    db.session.flush()
    unit = db.session.scalars(sa.select(Unit)).one()
    add("100", "CNY", 50, date(2026, 6, 1), unit=unit.id)
    data = forecast_workbook(forecast(me(), START, END, "month", "unit"))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")" and rows[1][3] == 50
    assert rows[-1][0] == "Total"


def test_period_labels():
    assert period_label(date(2026, 11, 5), "month") == "2026-11"
    assert period_label(date(2026, 11, 5), "quarter") == "2026-Q4"


def test_forecast_page_and_export_permissions(app, tenant, owner_client):
    from tests.conftest import client_as

    assert owner_client.get(f"/t/{tenant.slug}/forecast/").status_code == 200
    exported = owner_client.get(f"/t/{tenant.slug}/forecast/export.xlsx")
    assert exported.status_code == 200 and exported.mimetype.endswith("sheet")
    rep = client_as(app, tenant, "sales_rep")
    assert rep.get(f"/t/{tenant.slug}/forecast/export.xlsx").status_code == 403
