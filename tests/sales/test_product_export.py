"""Products export: the searched list as CSV or Excel, costs only for margin viewers, audited."""
import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.access.models import Role
from app.audit.models import AuditEntry
from app.extensions import db
from app.products import services
from tenants.context import tenant_scope
from tests.conftest import client_as
from tests.sales.conftest import product


@pytest.fixture
def catalogue(app, tenant):
    """Three products: a sofa with a cost and two prices, a formula-looking name, an archived one."""
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", "真皮沙发", price="1000.00", cost="420.00", category="沙发",
                list_prices={"CNY": "1000.00", "USD": "150.00"})
        product("EVIL-1", '=HYPERLINK("http://evil.example","点我")', price="1.00",
                description="+86 21 5555")
        services.archive(product("OLD-1", "旧款沙发", price="500.00"))
        db.session.commit()
    return f"/t/{tenant.slug}/products/export"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="products-')
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))


def test_csv_export_has_the_searched_products_with_prices_and_cost(owner_client, catalogue):
    rows = _csv(owner_client.get(catalogue + "?format=csv"))
    header = rows[0]
    assert header[:7] == ["Product code", "Name", "Category", "Unit of sale", "Description",
                          "Tax rate (%)", "Cost"]
    assert [row[0] for row in rows[1:]] == ["EVIL-1", "SOFA-1"]  # by code, archived left out
    sofa = dict(zip(header, rows[2]))
    assert (sofa["Cost"], sofa["List price in CNY"], sofa["List price in USD"]) == (
        "420.00", "1000.00", "150.00")
    assert sofa["List price in TWD"] == "" and sofa["Category"] == "沙发"
    searched = _csv(owner_client.get(catalogue + "?format=csv&q=沙发&archived=1"))
    assert [row[0] for row in searched[1:]] == ["OLD-1", "SOFA-1"]


def test_excel_export_writes_numbers_as_numbers(owner_client, catalogue):
    rows = _xlsx(owner_client.get(catalogue + "?format=xlsx&q=SOFA-1"))
    header, sofa = rows[0], dict(zip(rows[0], rows[1]))
    assert header[0] == "Product code" and len(rows) == 2
    assert float(sofa["Cost"]) == 420 and float(sofa["List price in CNY"]) == 1000
    assert not isinstance(sofa["List price in CNY"], str)


def test_a_formula_in_a_product_is_written_as_text(owner_client, catalogue):
    rows = _csv(owner_client.get(catalogue + "?format=csv&q=EVIL-1"))
    evil = dict(zip(rows[0], rows[1]))
    assert evil["Name"].startswith("'=HYPERLINK") and evil["Description"] == "'+86 21 5555"
    cells = _xlsx(owner_client.get(catalogue + "?format=xlsx&q=EVIL-1"))[1]
    assert cells[1].startswith("'=HYPERLINK") and cells[4] == "'+86 21 5555"


def _clerk_client(app, tenant):
    """A custom role that may export the catalogue but not see margins."""
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Role(key="catalogue_clerk", name="Catalogue clerk", visibility="all",
                            permissions={"products": ["view", "export"]}))
        db.session.commit()
    return client_as(app, tenant, "catalogue_clerk")


def test_the_cost_column_is_only_there_for_roles_that_see_margins(app, tenant, catalogue):
    manager_rows = _csv(client_as(app, tenant, "sales_manager").get(catalogue + "?format=csv"))
    assert "Cost" in manager_rows[0] and "420.00" in manager_rows[2]
    clerk = _clerk_client(app, tenant)
    for fmt, read in (("csv", _csv), ("xlsx", _xlsx)):
        rows = read(clerk.get(catalogue + f"?format={fmt}"))
        assert "Cost" not in rows[0] and rows[2][0] == "SOFA-1"
        assert all("420" not in str(cell) for row in rows for cell in row)
    rep = client_as(app, tenant, "sales_rep")
    assert rep.get(catalogue + "?format=csv").status_code == 403
    assert "products/export" not in rep.get(f"/t/{tenant.slug}/products/").get_data(as_text=True)


def test_exports_are_audited_with_format_and_filters(app, tenant, owner_client, catalogue):
    assert 'href="/t/%s/products/export?q=sofa&amp;format=xlsx"' % tenant.slug in (
        owner_client.get(f"/t/{tenant.slug}/products/?q=sofa").get_data(as_text=True))
    owner_client.get(catalogue + "?format=xlsx&q=sofa")
    assert owner_client.get(catalogue + "?format=pdf").status_code == 400
    with app.app_context(), tenant_scope(tenant):
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.action == "export", AuditEntry.record_type == "products")).all()
    assert len(entries) == 1
    assert entries[0].changes["format"] == "xlsx" and entries[0].changes["filters"]["q"] == "sofa"
    assert entries[0].user_label == f"owner@{tenant.slug}.example"
