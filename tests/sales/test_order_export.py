"""Orders export: the filtered order list as CSV or Excel, one row per order, visible orders only,
audited; and saved views of the order list."""
import csv
import io
import re
from datetime import datetime, timezone
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.access.models import Role
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.forecast.rates import set_rate
from app.quotes.services import LineEntry
from tenants.context import tenant_scope
from tests.conftest import add_user, client_as, login
from tests.sales.conftest import customer, owner_id, product
from tests.sales.test_orders import accepted_order

HEADER = ["Order number", "Date", "Customer code", "Customer", "Owner", "Currency", "Net", "Tax",
          "Total", "Quote", "Status"]


@pytest.fixture
def orders(app, tenant):
    """Three orders: two in CNY for 连天红家具 (one by Rep Wang), one in USD for a customer whose
    name looks like a formula, placed at 00:30 on 1 May in Shanghai (30 April in UTC)."""
    rep_id = add_user(app, tenant, "sales_rep", name="Rep Wang")
    with app.test_request_context(), tenant_scope(tenant):
        product("SOFA-1", price="1000")
        set_rate("USD", D("7.2"))
        first = customer("连天红家具", code="LTH-01")
        evil = customer('=HYPERLINK("http://evil.example","点我")', code="EVIL-1")
        accepted_order(first, LineEntry("SOFA-1", D("1")),
                       ordered_at=datetime(2024, 3, 1, 2, tzinfo=timezone.utc))   # SO000001
        accepted_order(evil, LineEntry("SOFA-1", D("1"), D("150")), currency="USD",
                       ordered_at=datetime(2024, 4, 30, 16, 30, tzinfo=timezone.utc))  # SO000002
        accepted_order(first, LineEntry("SOFA-1", D("3")), actor_id=rep_id,
                       ordered_at=datetime(2024, 6, 1, 2, tzinfo=timezone.utc))   # SO000003
        owner_name = db.session.get(User, owner_id()).name
        db.session.commit()
    return {"url": f"/t/{tenant.slug}/orders/export", "rep_id": rep_id, "owner": owner_name}


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="orders-')
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))


def test_csv_export_has_one_row_per_order_newest_first(owner_client, orders):
    rows = _csv(owner_client.get(orders["url"] + "?format=csv"))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == ["SO000003", "SO000002", "SO000001"]
    first = dict(zip(HEADER, rows[3]))
    assert first == {"Order number": "SO000001", "Date": "2024-03-01", "Customer code": "LTH-01",
                     "Customer": "连天红家具", "Owner": orders["owner"], "Currency": "CNY",
                     "Net": "1000.00", "Tax": "130.00", "Total": "1130.00",
                     "Quote": "Q000001 v1", "Status": "Open order"}
    assert rows[1][4] == "Rep Wang" and rows[1][8] == "3390.00"
    # 16:30 UTC on 30 April is 1 May in the workspace's Asia/Shanghai.
    assert rows[2][1] == "2024-05-01" and rows[2][5] == "USD" and rows[2][8] == "169.50"


def test_excel_export_writes_amounts_as_numbers_and_dates_as_dates(owner_client, orders):
    rows = _xlsx(owner_client.get(orders["url"] + "?format=xlsx&currency=CNY&sort=total"))
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == ["SO000001", "SO000003"]  # the list's sort, by total
    first = dict(zip(HEADER, rows[1]))
    assert first["Net"] == 1000 and first["Tax"] == 130 and first["Total"] == 1130
    assert not isinstance(first["Total"], str)
    assert first["Date"].date().isoformat() == "2024-03-01"
    assert first["Customer"] == "连天红家具" and first["Quote"] == "Q000001 v1"


def test_the_export_respects_the_lists_filters(owner_client, orders):
    def numbers(query):
        return [row[0] for row in _csv(owner_client.get(orders["url"] + "?format=csv&" + query))[1:]]

    assert numbers("currency=USD") == ["SO000002"]
    assert numbers(f"owner={orders['rep_id']}") == ["SO000003"]
    assert numbers("customer_name=LTH") == ["SO000003", "SO000001"]
    assert numbers("ordered_from=2024-05-01&ordered_to=2024-05-31") == ["SO000002"]
    assert numbers("ordered_to=2024-04-30") == ["SO000001"]
    # A filter that cannot be read is ignored, as on the page; never an error.
    assert numbers("ordered_from=yesterday&owner=me") == ["SO000003", "SO000002", "SO000001"]


def test_a_formula_looking_customer_name_is_written_as_text(owner_client, orders):
    evil = dict(zip(HEADER, _csv(owner_client.get(orders["url"] + "?format=csv&currency=USD"))[1]))
    assert evil["Customer"].startswith("'=HYPERLINK")
    cells = dict(zip(HEADER, _xlsx(owner_client.get(orders["url"] + "?format=xlsx&currency=USD"))[1]))
    assert cells["Customer"].startswith("'=HYPERLINK") and cells["Customer code"] == "EVIL-1"


def test_roles_without_sales_export_get_403_and_no_export_links(app, tenant, orders):
    base = f"/t/{tenant.slug}/orders/"
    rep = client_as(app, tenant, "sales_rep")
    assert rep.get(orders["url"] + "?format=csv").status_code == 403
    page = rep.get(base).get_data(as_text=True)
    assert "orders/export" not in page and "Save view" in page
    assert client_as(app, tenant, "read_only").get(orders["url"]).status_code == 403
    manager = client_as(app, tenant, "sales_manager")
    page = manager.get(base + "?currency=USD").get_data(as_text=True)
    assert f'href="{base}export?currency=USD&format=xlsx"' in page  # the list's filters
    assert f'href="{base}export?currency=USD&format=csv"' in page


def test_an_exporter_who_sees_only_their_own_orders_exports_only_those(app, tenant, orders):
    """A custom role with Sales → Export and own-records visibility."""
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Role(key="order_clerk", name="Order clerk", visibility="own",
                            permissions={"sales": ["view", "export"]}))
        db.session.commit()
        rep = db.session.get(User, orders["rep_id"])
        rep.role_id = db.session.scalars(sa.select(Role.id).where(Role.key == "order_clerk")).one()
        email = rep.email
        db.session.commit()
    clerk = app.test_client()
    assert login(clerk, tenant, email=email).status_code == 302
    for fmt, read in (("csv", _csv), ("xlsx", _xlsx)):
        rows = read(clerk.get(orders["url"] + f"?format={fmt}"))
        assert [row[0] for row in rows[1:]] == ["SO000003"]
    # Naming another user's customer does not reach their orders either.
    rows = _csv(clerk.get(orders["url"] + "?format=csv&customer_name=EVIL"))
    assert rows[1:] == []


def test_exports_are_audited_with_format_and_filters(app, tenant, owner_client, orders):
    owner_client.get(orders["url"] + "?format=xlsx&currency=CNY")
    assert owner_client.get(orders["url"] + "?format=pdf").status_code == 400
    with app.app_context(), tenant_scope(tenant):
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.action == "export", AuditEntry.record_type == "orders")).all()
    assert len(entries) == 1
    assert entries[0].changes["format"] == "xlsx"
    assert entries[0].changes["filters"]["currency"] == "CNY"
    assert entries[0].user_label == f"owner@{tenant.slug}.example"


def test_a_saved_view_of_the_order_list_reopens_its_filters(app, tenant, owner_client, orders):
    base = f"/t/{tenant.slug}"
    saved = owner_client.post(f"{base}/lists/orders/views",
                              data={"name": "US orders", "query": "currency=USD&sort=total"})
    assert saved.status_code == 302 and saved.location.endswith("/orders/?currency=USD&sort=total")
    page = owner_client.get(f"{base}/orders/").get_data(as_text=True)
    view_id = re.search(r"/lists/views/(\d+)\">US orders", page).group(1)
    opened = owner_client.get(f"{base}/lists/views/{view_id}")
    assert opened.location.endswith("/orders/?currency=USD&sort=total")
    reopened = owner_client.get(opened.location).get_data(as_text=True)
    table = reopened.split('data-testid="orders"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r">(SO\d{6})</a>", table) == ["SO000002"]
    # The customer list's views are its own, and the order list's stay out of it.
    assert "US orders" not in owner_client.get(f"{base}/customers/").get_data(as_text=True)
    deleted = owner_client.post(f"{base}/lists/views/{view_id}/delete")
    assert deleted.location.endswith("/orders/")
    assert "US orders" not in owner_client.get(f"{base}/orders/").get_data(as_text=True)
