"""Item: national phone numbers are read in the row's country (country, region or address
column), else in the region chosen for the import; the preview says which."""
import io

import sqlalchemy as sa

from app.customers.models import Customer
from app.extensions import db
from tests.imports.conftest import run_import


def _phones():
    return dict(db.session.execute(sa.select(Customer.name, Customer.phone_e164)).all())


def test_a_taiwanese_number_in_a_mainland_workspace_is_read_by_its_row_country(scope):
    data = ("客户名称,电话,国家,地址\n"
            "台北贸易,0912-345-678,台湾,\n"
            "高雄五金,07-123-4567,,高雄市前镇区\n"
            "上海家具,021-6234 5678,,上海市\n").encode()
    job = run_import(data)
    assert job.status == "done", job.errors
    assert _phones() == {"台北贸易": "+886912345678", "高雄五金": "+88671234567",
                         "上海家具": "+862162345678"}


def test_the_chosen_region_reads_numbers_whose_row_names_no_country(scope):
    job = run_import("客户名称,电话\n台北贸易,0912 345 678\n".encode(), region="TW")
    assert job.status == "done"
    assert _phones() == {"台北贸易": "+886912345678"}


def test_the_same_number_typed_with_plus_886_is_found_as_a_duplicate(scope):
    run_import("客户名称,电话,国家\n台北贸易,0912-345-678,TW\n".encode())
    job = run_import("客户名称,电话\n台北贸易 (again),+886 912 345 678\n".encode())
    assert (job.created_count, job.skipped_count) == (0, 1)


def test_the_preview_shows_the_region_assumed_for_each_row(owner_client, tenant):
    data = "客户名称,电话,国家\n台北贸易,0912-345-678,台湾\n上海家具,021-62345678,\n".encode()
    upload = owner_client.post(f"/t/{tenant.slug}/import/customers",
                               data={"file": (io.BytesIO(data), "c.csv")},
                               content_type="multipart/form-data")
    page = owner_client.get(upload.location).get_data(as_text=True)
    assert 'data-testid="region-2">TW<' in page and 'data-testid="region-3">CN<' in page
    again = owner_client.post(upload.location, data={
        "map-0": "name", "map-1": "phone", "map-2": "", "region": "HK", "go": "0"})
    assert 'data-testid="region-3">HK<' in again.get_data(as_text=True)
