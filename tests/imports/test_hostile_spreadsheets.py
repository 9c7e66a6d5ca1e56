"""Item: a tiny .xlsx declaring 16,384 columns no longer costs memory and a huge mapping
page: rows stream with a column cap, row and cell caps are checked while reading, and the
mapping page never re-reads the file."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from app import storage
from app.imports import reading
from app.imports.reading import UnreadableFile, read_table


def _xlsx(rows, declared: str | None = None) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if declared is None:
        return buffer.getvalue()
    # Rewrite the sheet's declared dimension, as a hostile (or broken) exporter does.
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="{declared}"'.encode(), data)
            target.writestr(item, data)
    return out.getvalue()


HOSTILE = _xlsx([["客户名称", "电话"]] + [[f"公司{i}", "021-62345678"] for i in range(300)],
                declared="A1:XFD301")


def test_a_declared_dimension_of_16384_columns_is_not_believed():
    assert len(HOSTILE) < 30_000
    headers, rows = read_table("c.xlsx", HOSTILE)
    assert headers == ["客户名称", "电话"]
    assert len(rows) == 300 and {len(row) for row in rows} == {2}


def test_the_mapping_page_of_that_file_is_small_and_never_reads_the_file(owner_client, tenant,
                                                                          monkeypatch):
    upload = owner_client.post(f"/t/{tenant.slug}/import/customers",
                               content_type="multipart/form-data",
                               data={"file": (io.BytesIO(HOSTILE), "c.xlsx")})
    assert upload.status_code == 302

    def no_reading(key):
        raise AssertionError("the mapping page read the uploaded file")

    monkeypatch.setattr(storage, "load", no_reading)
    page = owner_client.get(upload.location).get_data(as_text=True)
    assert page.count(" name=\"map-") == 2  # one field choice per real column
    again = owner_client.post(upload.location, data={"map-0": "name", "map-1": "phone", "go": "0"})
    assert again.status_code == 200 and "公司0" in again.get_data(as_text=True)


def test_a_sheet_really_wider_than_the_cap_is_refused():
    wide = _xlsx([["name"] + [""] * 250 + ["far away"], ["Acme"]])
    with pytest.raises(UnreadableFile, match="more than 200 columns"):
        read_table("c.xlsx", wide)


@pytest.mark.parametrize("filename, data", [
    ("c.csv", b"name\n" + b"Acme\n" * 50),
    ("c.xlsx", _xlsx([["name"]] + [["Acme"]] * 50)),
])
def test_row_and_cell_caps_are_checked_while_reading(monkeypatch, filename, data):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    with pytest.raises(UnreadableFile, match="more than 500,000 rows"):
        read_table(filename, data)
    monkeypatch.setattr(reading, "MAX_ROWS", 1000)
    monkeypatch.setattr(reading, "MAX_CELLS", 20)
    with pytest.raises(UnreadableFile, match="too many cells"):
        read_table(filename, data)
