"""Item: a customer row can also fill the address, postal code, sales rep (name or e-mail)
and a primary contact; a workbook with several sheets asks which one."""
import io

import sqlalchemy as sa
from openpyxl import Workbook

from app.contacts.models import Contact
from app.customers.models import Address, Customer
from app.extensions import db
from tests.conftest import add_user
from tests.imports.conftest import run_import


def test_address_rep_and_primary_contact_come_from_the_same_row(app, tenant, scope):
    add_user(app, tenant, "sales_rep", email="wang@example.com", name="王伟")
    add_user(app, tenant, "sales_rep", email="li@example.com", name="李娜")
    data = ("客户名称,地址,邮编,业务员,联系人,手机,联系人邮箱\n"
            "连天红家具,上海市徐汇区漕溪北路88号,200030,王伟,陈静,138 0013 8000,chen@lth.cn\n"
            "臺北貿易,,,li@example.com,,,\n").encode()
    job = run_import(data)
    assert job.status == "done", job.errors
    lth = db.session.scalars(sa.select(Customer).where(Customer.name == "连天红家具")).one()
    taipei = db.session.scalars(sa.select(Customer).where(Customer.name == "臺北貿易")).one()
    assert (lth.owner.email, taipei.owner.email) == ("wang@example.com", "li@example.com")
    address = db.session.scalars(sa.select(Address).where(Address.customer_id == lth.id)).one()
    assert (address.kind, address.line1, address.postal_code) == (
        "registered", "上海市徐汇区漕溪北路88号", "200030")
    contact = db.session.scalars(sa.select(Contact).where(Contact.customer_id == lth.id)).one()
    assert (contact.name, contact.mobile_e164, contact.email, contact.is_primary) == (
        "陈静", "+8613800138000", "chen@lth.cn", True)
    assert contact.owner_id == lth.owner_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 1


def test_an_unknown_sales_rep_is_a_row_error(scope):
    job = run_import("客户名称,业务员\n甲公司,没有这个人\n".encode())
    assert job.status == "invalid"
    assert "No single active user" in job.errors[0][2]


def _workbook(*sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_several_sheets_asks_which_one(owner_client, tenant):
    data = _workbook(("说明", [["本文件由 ERP 导出"]]),
                     ("客户", [["客户名称", "电话"], ["甲公司", "021-62345678"]]))
    upload = owner_client.post(f"/t/{tenant.slug}/import/customers", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(data), "erp.xlsx")})
    asked = owner_client.get(upload.location, follow_redirects=True).get_data(as_text=True)
    assert "Which sheet of erp.xlsx?" in asked and "说明" in asked and "客户" in asked
    chosen = owner_client.post(upload.location.replace("/mapping", "/sheet"), data={"sheet": "客户"})
    assert chosen.status_code == 302
    page = owner_client.get(chosen.location).get_data(as_text=True)
    assert "甲公司" in page and "1 row in the file." in page
    bad = owner_client.post(upload.location.replace("/mapping", "/sheet"), data={"sheet": "nope"})
    assert bad.status_code == 422
