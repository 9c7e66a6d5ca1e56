"""The customer file as a sales rep uses it: create, 360 page, list, bulk, export, search, import."""
import io
import re

import pytest
from openpyxl import load_workbook

from tests.background import wait_for_jobs
from tests.conftest import client_as


def _html(response):
    return response.get_data(as_text=True)


def _create(client, tenant, **fields):
    data = {"name": "连天红家具有限公司", "kind": "company", "type": "customer", "currency": "CNY",
            "tier": "", **fields}
    return client.post(f"/t/{tenant.slug}/customers/new", data=data)


def _id_of(response) -> int:
    return int(re.search(r"/customers/(\d+)", response.location).group(1))


def test_create_shows_the_360_page_with_the_new_code(owner_client, tenant):
    response = _create(owner_client, tenant, phone="021 6234 5678", credit_limit="5000")
    assert response.status_code == 302
    page = _html(owner_client.get(response.location))
    assert "连天红家具有限公司" in page and "C000001" in page and "021 6234 5678" in page


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "This field is required."),
    ({"phone": "12"}, "Not a phone number we can dial."),
    ({"email": "not-mail"}, "Invalid email address."),
    ({"credit_limit": "lots"}, "Not a valid decimal value."),
    ({"credit_limit": "-5"}, "Must be zero or more."),
])
def test_bad_input_shows_the_form_again_with_the_error(owner_client, tenant, fields, message):
    response = _create(owner_client, tenant, **fields)
    assert response.status_code == 422 and message in _html(response)
    assert "C000001" not in _html(owner_client.get(f"/t/{tenant.slug}/customers/"))


def test_a_colliding_code_is_refused_in_place(owner_client, tenant):
    _create(owner_client, tenant, code="VIP-1")
    response = _create(owner_client, tenant, name="Other", code="vip-1")
    assert response.status_code == 422
    assert "Another customer already has this code." in _html(response)


def test_a_likely_duplicate_is_shown_before_saving(owner_client, tenant):
    _create(owner_client, tenant, phone="13800138000")
    warned = _create(owner_client, tenant, name="連天紅家具", phone="138-0013-8000")
    assert warned.status_code == 422 and 'data-testid="duplicates"' in _html(warned)
    saved = _create(owner_client, tenant, name="連天紅家具", phone="138-0013-8000",
                    confirm_duplicate="1")
    assert saved.status_code == 302


def test_quick_actions_land_on_the_timeline(owner_client, tenant):
    customer_id = _id_of(_create(owner_client, tenant))
    base = f"/t/{tenant.slug}/customers/{customer_id}"
    owner_client.post(f"{base}/timeline", data={"kind": "call", "title": "Asked for a quote",
                                                "body": "Wants 20 chairs"})
    page = _html(owner_client.get(base))
    assert "Asked for a quote" in page and "Wants 20 chairs" in page


def test_list_filters_sorts_and_pages_with_keysets(owner_client, tenant):
    for n in range(55):
        _create(owner_client, tenant, name=f"Customer {n:02d}", type="prospect" if n % 2 else "customer",
                confirm_duplicate="1")
    base = f"/t/{tenant.slug}/customers/"
    first = _html(owner_client.get(base + "?sort=name"))
    assert "55 found" in first and first.index("Customer 00") < first.index("Customer 01")
    next_link = re.search(r'data-testid="next-page" href="\?([^"]+)"', first).group(1)
    second = _html(owner_client.get(base + "?" + next_link.replace("&amp;", "&")))
    assert "Customer 50" in second and "Customer 49" not in second
    filtered = _html(owner_client.get(base + "?type=prospect"))
    assert "27 found" in filtered and "Customer 01" in filtered and "Customer 00" not in filtered
    bad = owner_client.get(base + "?credit_min=lots", follow_redirects=True)
    assert bad.status_code == 200 and "could not be read" in _html(bad)


def test_bulk_tag_and_delete_with_confirmation(owner_client, tenant):
    ids = [_id_of(_create(owner_client, tenant, name=f"Bulk {n}", confirm_duplicate="1"))
           for n in range(3)]
    base = f"/t/{tenant.slug}/customers"
    owner_client.post(f"{base}/bulk", data={"action": "tag", "tag": "展会", "ids": ids[:2]})
    assert "2 found" in _html(owner_client.get(f"{base}/?tag=展会"))
    confirm = owner_client.post(f"{base}/bulk", data={"action": "delete", "ids": ids})
    assert "Delete 3 customers?" in _html(confirm)
    assert "3 found" in _html(owner_client.get(f"{base}/"))
    owner_client.post(f"{base}/bulk", data={"action": "delete", "ids": ids, "confirmed": "1"})
    assert "0 found" in _html(owner_client.get(f"{base}/"))


def test_export_neutralizes_formulas_and_respects_permissions(app, owner_client, tenant):
    _create(owner_client, tenant, name="=HYPERLINK(\"http://evil\")", notes="x")
    base = f"/t/{tenant.slug}/customers/export"
    csv_text = owner_client.get(base + "?format=csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    workbook = load_workbook(io.BytesIO(owner_client.get(base + "?format=xlsx").get_data()))
    names = [row[1] for row in workbook.active.iter_rows(values_only=True)]
    assert names[1].startswith("'=HYPERLINK")
    rep = client_as(app, tenant, "sales_rep")
    assert rep.get(base + "?format=csv").status_code == 403


def test_a_sales_rep_sees_only_own_customers(app, owner_client, tenant):
    owners = _id_of(_create(owner_client, tenant, name="Owner customer"))
    rep = client_as(app, tenant, "sales_rep")
    _create(rep, tenant, name="Rep customer")
    listing = _html(rep.get(f"/t/{tenant.slug}/customers/"))
    assert "Rep customer" in listing and "Owner customer" not in listing
    assert rep.get(f"/t/{tenant.slug}/customers/{owners}").status_code == 404
    assert "Owner customer" not in _html(rep.get(f"/t/{tenant.slug}/search/?q=customer"))


def test_search_finds_customers_and_contacts_in_either_script_and_by_phone(owner_client, tenant):
    customer_id = _id_of(_create(owner_client, tenant, code="LTH"))
    owner_client.post(f"/t/{tenant.slug}/contacts/new", data={
        "name": "王小明", "customer_code": "LTH", "mobile": "13800138000", "decision_role": ""})
    search = f"/t/{tenant.slug}/search/?q="
    assert f"/customers/{customer_id}" in _html(owner_client.get(search + "連天紅"))
    assert "王小明" in _html(owner_client.get(search + "138 0013 8000"))
    assert 'data-testid="no-results"' in _html(owner_client.get(search + "不存在的公司"))


def test_customers_of_one_tenant_are_invisible_in_another(app, owner_client, tenant, new_tenant):
    customer_id = _id_of(_create(owner_client, tenant))
    other = new_tenant()
    other_client = client_as(app, other, "owner")
    assert other_client.get(f"/t/{other.slug}/customers/{customer_id}").status_code == 404
    assert f"/customers/{customer_id}" not in _html(other_client.get(f"/t/{other.slug}/search/?q=连天红"))
    assert 'data-testid="no-results"' in _html(other_client.get(f"/t/{other.slug}/search/?q=连天红"))


def test_import_through_the_pages(owner_client, tenant):
    base = f"/t/{tenant.slug}/import"
    data = "客户名称,电话\n甲公司,021-62345678\n乙公司,\n".encode("gbk")
    upload = owner_client.post(f"{base}/customers", data={"file": (io.BytesIO(data), "客户.csv")},
                               content_type="multipart/form-data")
    assert upload.status_code == 302
    mapping_page = _html(owner_client.get(upload.location))
    assert "甲公司" in mapping_page
    started = owner_client.post(upload.location, data={"map-0": "name", "map-1": "phone",
                                                       "policy": "skip", "go": "1"})
    wait_for_jobs()  # the page answers at once; the import runs in a thread
    status = _html(owner_client.get(started.location))
    assert 'data-status="done"' in status and "2 created" in status
    assert "2 found" in _html(owner_client.get(f"/t/{tenant.slug}/customers/"))


def test_a_bad_upload_is_refused_in_place(owner_client, tenant):
    response = owner_client.post(f"/t/{tenant.slug}/import/customers",
                                 data={"file": (io.BytesIO(b"%PDF-1.4"), "x.pdf")},
                                 content_type="multipart/form-data")
    assert response.status_code == 422 and "Upload a .csv or .xlsx file." in _html(response)


def test_saved_views_reopen_their_filters(owner_client, tenant):
    saved = owner_client.post(f"/t/{tenant.slug}/lists/customers/views",
                              data={"name": "My prospects", "query": "type=prospect&sort=name"})
    assert saved.status_code == 302
    page = _html(owner_client.get(f"/t/{tenant.slug}/customers/"))
    view_id = re.search(r"/lists/views/(\d+)\">My prospects", page).group(1)
    opened = owner_client.get(f"/t/{tenant.slug}/lists/views/{view_id}")
    assert opened.location.endswith("/customers/?type=prospect&sort=name")


def test_three_addresses_are_kept_and_a_cleared_one_removed(owner_client, tenant):
    customer_id = _id_of(_create(owner_client, tenant))
    path = f"/t/{tenant.slug}/customers/{customer_id}/addresses"
    owner_client.post(path, data={"registered-line1": "南京东路 1 号", "registered-postal_code": "200001",
                                  "invoice-line1": "Invoice Rd 9", "invoice-country": "cn"})
    page = _html(owner_client.get(f"/t/{tenant.slug}/customers/{customer_id}"))
    assert "南京东路 1 号" in page and "200001" in page and "Invoice Rd 9" in page and "CN" in page
    owner_client.post(path, data={"registered-line1": "南京东路 1 号", "invoice-line1": ""})
    page = _html(owner_client.get(f"/t/{tenant.slug}/customers/{customer_id}"))
    assert "Invoice Rd 9" not in page and "南京东路 1 号" in page
    bad = owner_client.post(path, data={"registered-line1": "x", "registered-country": "China"})
    assert bad.status_code == 422


def test_a_leaving_reps_customers_and_contacts_go_to_their_successor(app, owner_client, tenant):
    from tests.conftest import add_user, login

    leaver_id = add_user(app, tenant, "sales_rep", "leaver@x.example", name="Leaver")
    heir_id = add_user(app, tenant, "sales_rep", "heir@x.example", name="Heir")
    leaver = app.test_client()
    login(leaver, tenant, email="leaver@x.example")
    _create(leaver, tenant, name="Leaver's account", code="LV1")
    leaver.post(f"/t/{tenant.slug}/contacts/new", data={"name": "Contact Lv", "customer_code": "LV1",
                                                       "decision_role": ""})
    page = _html(owner_client.get(f"/t/{tenant.slug}/admin/users/{leaver_id}/reassign"))
    assert "Customers: 1" in page and "Contacts: 1" in page
    owner_client.post(f"/t/{tenant.slug}/admin/users/{leaver_id}/reassign", data={"to_user": heir_id})
    heir = app.test_client()
    login(heir, tenant, email="heir@x.example")
    assert "Contact Lv" in _html(heir.get(f"/t/{tenant.slug}/contacts/"))
    assert "LV1" in _html(heir.get(f"/t/{tenant.slug}/customers/"))


def test_the_search_box_also_finds_products(owner_client, tenant):
    owner_client.post(f"/t/{tenant.slug}/products/new", data={
        "code": "P-100", "name": "實木餐桌", "unit": "张", "tax_rate": "13", "price_CNY": "1200"})
    page = _html(owner_client.get(f"/t/{tenant.slug}/search/?q=实木"))
    assert 'data-testid="results-product"' in page and "P-100" in page


def test_the_360_page_starts_an_opportunity_or_quote_for_this_customer(owner_client, tenant):
    customer_id = _id_of(_create(owner_client, tenant, code="Q360"))
    page = _html(owner_client.get(f"/t/{tenant.slug}/customers/{customer_id}"))
    for path in ("opportunities/new?customer_code=Q360", "quotes/new?customer_code=Q360"):
        assert path in page
        form = _html(owner_client.get(f"/t/{tenant.slug}/{path}"))
        assert 'value="Q360"' in form
