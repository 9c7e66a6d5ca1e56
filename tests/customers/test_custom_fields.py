"""Custom fields as a tenant admin defines them and a rep fills them in."""
import io

import pytest
import sqlalchemy as sa

from app.customers.models import Customer
from app.customfields import services
from app.customfields.values import BadValue, parse
from app.customfields.values import FieldSpec
from app.extensions import db
from tests.background import wait_for_jobs
from tests.conftest import add_user
from tenants.context import tenant_scope


def _define(client, tenant, **fields):
    data = {"entity": "customers", "key": "store_size", "label": "Store size", "type": "choice",
            "options": "small\nlarge", "position": "1", "active": "y", **fields}
    return client.post(f"/t/{tenant.slug}/admin/fields/new", data=data)


def _create(client, tenant, **fields):
    return client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": "Acme", "kind": "company", "type": "customer", "currency": "CNY", "tier": "",
        **fields})


@pytest.mark.parametrize("spec, raw, expected", [
    (FieldSpec("number"), "1,234.5", "1234.5"),
    (FieldSpec("money"), "10", "10.00"),
    (FieldSpec("date"), "2026-12-01", "2026-12-01"),
    (FieldSpec("yes_no"), "是", True),
    (FieldSpec("multi_choice", ("a", "b")), "a, b", ["a", "b"]),
    (FieldSpec("text"), "", None),
])
def test_values_are_parsed_per_type(spec, raw, expected):
    assert parse(spec, raw) == expected


@pytest.mark.parametrize("spec, raw", [
    (FieldSpec("number"), "lots"), (FieldSpec("date"), "next week"),
    (FieldSpec("choice", ("a",)), "z"), (FieldSpec("yes_no"), "maybe"),
    (FieldSpec("text", (), True), ""),
])
def test_bad_values_are_refused(spec, raw):
    with pytest.raises(BadValue):
        parse(spec, raw)


def test_a_user_field_shows_the_users_name(app, owner_client, tenant):
    buyer_id = add_user(app, tenant, "sales_rep", name="Wang Fang")
    assert _define(owner_client, tenant, key="account_manager", label="Account manager",
                   type="user", options="").status_code == 302
    saved = _create(owner_client, tenant, cf_account_manager=str(buyer_id))
    page = owner_client.get(saved.location).get_data(as_text=True)
    assert 'data-testid="custom-account_manager">Wang Fang' in page
    listing = owner_client.get(f"/t/{tenant.slug}/customers/?col=name&col=cf_account_manager")
    assert "Wang Fang" in listing.get_data(as_text=True)


def test_a_custom_field_appears_in_form_page_list_filter_and_export(owner_client, tenant):
    assert _define(owner_client, tenant).status_code == 302
    refused = _create(owner_client, tenant, cf_store_size="huge")
    assert refused.status_code == 422 and "Not one of the choices." in refused.get_data(as_text=True)
    saved = _create(owner_client, tenant, cf_store_size="large")
    page = owner_client.get(saved.location).get_data(as_text=True)
    assert 'data-testid="custom-store_size">large' in page
    base = f"/t/{tenant.slug}/customers/"
    listing = owner_client.get(base + "?col=name&col=cf_store_size&cf_store_size=large")
    assert "1 found" in listing.get_data(as_text=True) and "Store size" in listing.get_data(as_text=True)
    assert "0 found" in owner_client.get(base + "?cf_store_size=small").get_data(as_text=True)
    exported = owner_client.get(base + "export?format=csv&col=name&col=cf_store_size")
    assert "Acme,large" in exported.get_data().decode("utf-8-sig")


def test_custom_fields_import_by_their_label(owner_client, tenant):
    _define(owner_client, tenant)
    upload = owner_client.post(f"/t/{tenant.slug}/import/customers", data={
        "file": (io.BytesIO("name,Store size\nImported,small\n".encode()), "c.csv")},
        content_type="multipart/form-data")
    owner_client.post(upload.location, data={"map-0": "name", "map-1": "cf_store_size",
                                             "policy": "skip", "go": "1"})
    wait_for_jobs()  # the page answers at once; the import runs in a thread
    listing = owner_client.get(f"/t/{tenant.slug}/customers/?cf_store_size=small")
    assert "Imported" in listing.get_data(as_text=True)


def test_a_type_change_that_would_lose_values_is_refused(app, owner_client, tenant):
    _define(owner_client, tenant, key="floors", label="Floors", type="text", options="")
    _create(owner_client, tenant, cf_floors="three")
    with app.app_context(), tenant_scope(tenant):
        field_id = services.fields_of("customers")[0].id
    response = owner_client.post(f"/t/{tenant.slug}/admin/fields/{field_id}", data={
        "label": "Floors", "type": "number", "position": "0", "active": "y"})
    assert response.status_code == 422
    assert "stored values would be lost" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert services.fields_of("customers")[0].type == "text"
        assert db.session.scalar(sa.select(Customer.custom)) == {"floors": "three"}


def test_only_admins_define_fields(app, tenant):
    from tests.conftest import client_as

    rep = client_as(app, tenant, "sales_rep")
    assert _define(rep, tenant).status_code == 403


def test_duplicate_keys_and_bad_keys_are_refused(owner_client, tenant):
    _define(owner_client, tenant)
    again = _define(owner_client, tenant)
    assert again.status_code == 422 and "already has a field with this key" in again.get_data(as_text=True)
    bad = _define(owner_client, tenant, key="Bad Key")
    assert bad.status_code == 422 and "Lower-case letters" in bad.get_data(as_text=True)


def test_fields_are_offered_only_for_record_types_that_show_them(owner_client, tenant):
    page = owner_client.get(f"/t/{tenant.slug}/admin/fields/new").get_data(as_text=True)
    assert 'value="opportunities"' in page and 'value="tickets"' not in page
    refused = _define(owner_client, tenant, entity="tickets")
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
