"""Importing customers and contacts: encodings, Excel, mapping, validation, dedupe, all-or-nothing."""
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.auth.models import User
from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from app.imports import pipeline, services
from app.imports.models import ImportJob
from app.imports.reading import UnreadableFile, read_table
from app.imports.targets import CUSTOMERS, TARGETS

CSV = "客户编号,客户名称,电话,邮箱,信用额度\nK1,连天红家具有限公司,021-6234 5678,a@lth.cn,5000\nK2,臺北貿易公司,,b@tp.tw,\n"

BIG5_CSV = "客戶編號,客戶名稱,電話\nK1,連天紅傢俱有限公司,02-2345-6789\nK2,臺北貿易公司,\n"


def _owner():
    return db.session.scalars(sa.select(User.id)).first()


def _run(data: bytes, filename="customers.csv", target="customers", policy="skip", mapping=None):
    job = services.stage_upload(target, filename, data, _owner())
    headers, _ = services.table_of(job)
    mapping = mapping or pipeline.suggest_mapping(TARGETS[target], headers, None)
    services.start(job, mapping, policy, _owner())
    return db.session.get(ImportJob, job.id)


def _names():
    return sorted(db.session.scalars(sa.select(Customer.name).where(Customer.deleted_at.is_(None))))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "big5", "utf-16"])
def test_csv_in_chinese_encodings_is_read_correctly(encoding):
    text = CSV if encoding != "big5" else BIG5_CSV
    headers, rows = read_table("x.csv", text.encode(encoding))
    assert headers[:2] == text.split(",")[:2]
    assert rows[1][1] == "臺北貿易公司"


@pytest.mark.parametrize("text, encoding", [("名称\n上海\n", "gbk"), ("名稱\n臺北\n", "big5")])
def test_even_a_tiny_chinese_file_is_decoded_right(text, encoding):
    assert read_table("x.csv", text.encode(encoding)) == (text.split()[:1], [text.split()[1:]])


def test_excel_files_are_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Customer name", "Phone"])
    sheet.append(["Acme", 13800138000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table("c.xlsx", buffer.getvalue()) == (["Customer name", "Phone"],
                                                       [["Acme", "13800138000"]])


@pytest.mark.parametrize("filename, data, message", [
    ("c.csv", b"", "empty"),
    ("c.pdf", b"%PDF", ".csv or .xlsx"),
    ("c.xlsx", b"not a zip", "not an Excel"),
    ("c.csv", b"name\n\n", "no rows below its header"),
])
def test_unreadable_files_get_a_reason(filename, data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_table(filename, data)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr("app.imports.reading.MAX_BYTES", 10)
    with pytest.raises(UnreadableFile, match="larger than 50 MB"):
        read_table("c.csv", b"name\nsomething long")


def test_headers_in_chinese_map_themselves_and_the_mapping_is_remembered(scope):
    headers = ["客户编号", "客户名称", "电话", "邮箱", "信用额度", "随便"]
    assert pipeline.suggest_mapping(CUSTOMERS, headers, _owner()) == {
        "客户编号": "code", "客户名称": "name", "电话": "phone", "邮箱": "email",
        "信用额度": "credit_limit", "随便": ""}
    pipeline.remember_mapping(CUSTOMERS, _owner(), {"随便": "notes", "客户名称": "name"})
    assert pipeline.suggest_mapping(CUSTOMERS, headers, _owner())["随便"] == "notes"


def test_gbk_file_imports_with_phones_normalized_and_searchable(scope):
    job = _run(CSV.encode("gbk"))
    assert (job.status, job.created_count) == ("done", 2)
    customer = db.session.scalars(sa.select(Customer).where(Customer.code == "K1")).one()
    assert customer.phone_e164 == "+862162345678" and str(customer.credit_limit) == "5000.00"
    from app.search.builder import matching
    where, _ = matching(Customer, "臺北")
    assert db.session.scalars(sa.select(Customer.name).where(where)).all() == ["臺北貿易公司"]


def test_one_bad_row_imports_nothing_and_reports_every_problem(scope):
    data = ("name,phone,email,credit limit\nGood Co,,,\nBad Phone,12,,\n,,,\n"
            "Bad Mail,,not-mail,\nBad Credit,,,lots\n").encode()
    mapping = {"name": "name", "phone": "phone", "email": "email", "credit limit": "credit_limit"}
    job = _run(data, mapping=mapping)
    assert job.status == "invalid" and job.created_count == 0
    assert [line for line, _, _ in job.errors] == [3, 5, 6]  # line 4 is blank
    assert "Not a phone number" in job.errors[0][2]
    assert _names() == []


@pytest.mark.parametrize("policy, expected_names, counts", [
    ("skip", ["Acme", "Beta"], (1, 0, 1)),
    ("update", ["Acme Renamed", "Beta"], (1, 1, 0)),
    ("create", ["Acme", "Acme Renamed", "Beta"], (2, 0, 0)),
])
def test_dedupe_policies_match_by_code_email_or_phone(scope, policy, expected_names, counts):
    _run(b"code,name,email\nA1,Acme,sales@acme.example\n")
    job = _run(b"code,name,email\n,Acme Renamed,SALES@acme.example\nB1,Beta,\n", policy=policy)
    assert job.status == "done"
    assert (job.created_count, job.updated_count, job.skipped_count) == counts
    assert _names() == expected_names
    codes = db.session.scalars(sa.select(Customer.code)).all()
    assert len(codes) == len(set(codes))  # a created duplicate never takes an existing code


def test_contacts_import_links_to_customers_by_code(scope):
    _run(b"code,name\nK9,Kappa\n")
    job = _run("联系人,客户编号,手机,微信\n王小明,K9,138 0013 8000,wxm\n".encode(), target="contacts")
    assert job.status == "done"
    contact = db.session.scalars(sa.select(Contact)).one()
    assert contact.customer.name == "Kappa" and contact.mobile_e164 == "+8613800138000"


def test_a_database_failure_mid_import_rolls_everything_back(scope, monkeypatch):
    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_apply_updates", fail)
    job = _run(b"name\nOne\nTwo\n")
    # The user is told it failed on our side, with a reference for support; the exception's
    # own text (database details) stays in the log.
    assert job.status == "failed" and "disk full" not in job.message
    assert f"import-{job.id}" in job.message
    assert _names() == []


def test_a_200_mb_upload_is_refused_with_a_clear_page(owner_client, tenant):
    big = io.BytesIO(b"x" * (61 * 1024 * 1024))
    response = owner_client.post(f"/t/{tenant.slug}/import/customers",
                                 data={"file": (big, "huge.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "What you sent is too large." in response.get_data(as_text=True)

