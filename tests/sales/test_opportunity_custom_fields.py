"""Custom fields on opportunities: defined by the admin, filled in the form, shown and filtered."""
import csv
import io
import zipfile

import sqlalchemy as sa

from app.customers.models import Customer
from app.customers.services import create_customer
from app.customfields import services as fields
from app.extensions import db
from app.opportunities.models import Opportunity
from app.sales.models import PipelineStage
from tenants.context import tenant_scope
from tests.conftest import client_as
from tests.sales.conftest import owner_id


def _define(client, tenant, key, label, kind, **extra):
    response = client.post(f"/t/{tenant.slug}/admin/fields/new", data={
        "entity": "opportunities", "key": key, "label": label, "type": kind,
        "position": "0", "active": "y", **extra})
    assert response.status_code == 302, response.get_data(as_text=True)


def _setup(app, owner_client, tenant) -> dict:
    """Three opportunity fields (a required choice, a money amount, a date) and a customer."""
    _define(owner_client, tenant, "channel", "Channel", "choice", options="store\nonline",
            required="y", position="1")
    _define(owner_client, tenant, "budget", "Budget", "money", position="2")
    _define(owner_client, tenant, "visit_on", "Showroom visit", "date", position="3",
            help_text="When they saw the samples")
    with app.test_request_context(), tenant_scope(tenant):
        create_customer({"name": "连天红家具", "code": "C1"}, owner_id())
        stage = db.session.scalars(sa.select(PipelineStage.id).order_by(
            PipelineStage.position)).first()
        owner = owner_id()
        db.session.commit()
    return {"name": "一百套沙发", "customer_code": "C1", "amount": "10000", "currency": "CNY",
            "owner": owner, "stage": stage}


def _post(client, tenant, data, opportunity_id=None):
    path = f"/opportunities/{opportunity_id}/edit" if opportunity_id else "/opportunities/new"
    return client.post(f"/t/{tenant.slug}{path}", data=data)


def test_the_admin_page_offers_opportunities_as_a_record_type(owner_client, tenant):
    page = owner_client.get(f"/t/{tenant.slug}/admin/fields/new").get_data(as_text=True)
    assert '<option value="opportunities">Opportunities</option>' in page


def test_custom_fields_are_in_the_form_and_on_the_detail_page(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    form = owner_client.get(f"/t/{tenant.slug}/opportunities/new").get_data(as_text=True)
    assert 'name="cf_channel"' in form and 'name="cf_budget"' in form
    assert "When they saw the samples" in form  # the help text
    saved = _post(owner_client, tenant, {**deal, "cf_channel": "online", "cf_budget": "12,500",
                                         "cf_visit_on": "2026-12-01"})
    assert saved.status_code == 302
    page = owner_client.get(saved.location).get_data(as_text=True)
    assert 'data-testid="custom-channel">online' in page
    assert 'data-testid="custom-budget">12500.00' in page
    assert 'data-testid="custom-visit_on">2026-12-01' in page
    with app.app_context(), tenant_scope(tenant):
        stored = db.session.scalar(sa.select(Opportunity.custom))
    assert stored == {"channel": "online", "budget": "12500.00", "visit_on": "2026-12-01"}


def test_the_edit_form_shows_and_changes_stored_values(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    saved = _post(owner_client, tenant, {**deal, "cf_channel": "store", "cf_budget": "99"})
    opportunity_id = int(saved.location.rstrip("/").rsplit("/", 1)[1])
    form = owner_client.get(f"/t/{tenant.slug}/opportunities/{opportunity_id}/edit")
    text = form.get_data(as_text=True)
    assert '<option selected value="store">store</option>' in text
    assert 'name="cf_budget" type="text" value="99.00"' in text
    changed = _post(owner_client, tenant, {**deal, "cf_channel": "online", "cf_budget": ""},
                    opportunity_id)
    assert changed.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Opportunity, opportunity_id).custom == {
            "channel": "online", "budget": None, "visit_on": None}


def test_a_bad_value_is_refused_with_its_message_beside_the_field(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    refused = _post(owner_client, tenant, {**deal, "cf_channel": "store", "cf_budget": "lots",
                                           "cf_visit_on": "next week"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="cf_budget-errors">Not a number.' in text
    assert 'id="cf_visit_on-errors">Not a date (use YYYY-MM-DD).' in text
    assert 'value="一百套沙发"' in text  # what was typed is kept
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Opportunity)) == 0


def test_a_required_field_must_be_filled(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    refused = _post(owner_client, tenant, {**deal, "cf_channel": ""})
    assert refused.status_code == 422
    assert 'id="cf_channel-errors">This field is required.' in refused.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Opportunity)) == 0


def test_the_list_shows_chosen_custom_columns_and_filters_by_them(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    _post(owner_client, tenant, {**deal, "name": "Store deal", "cf_channel": "store",
                                 "cf_budget": "100"})
    _post(owner_client, tenant, {**deal, "name": "Web deal", "cf_channel": "online"})
    base = f"/t/{tenant.slug}/opportunities/list"
    page = owner_client.get(base).get_data(as_text=True)
    assert "Store deal" in page and "Web deal" in page
    assert 'name="cf_channel"' in page  # the filter, with the field's choices
    assert '<option value="online" >online</option>' in page
    assert 'data-testid="cf_channel"' not in page  # custom columns only when chosen
    shown = owner_client.get(base + "?col=cf_channel&col=cf_budget").get_data(as_text=True)
    assert '<td data-testid="cf_budget">100.00</td>' in shown
    assert '<td data-testid="cf_channel">online</td>' in shown
    online = owner_client.get(base + "?cf_channel=online").get_data(as_text=True)
    assert "Web deal" in online and "Store deal" not in online
    budget = owner_client.get(base + "?cf_budget=100").get_data(as_text=True)
    assert "Store deal" in budget and "Web deal" not in budget


def test_a_type_change_that_would_lose_opportunity_values_is_refused(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    _define(owner_client, tenant, "floors", "Floors", "text", position="4")
    _post(owner_client, tenant, {**deal, "cf_channel": "store", "cf_floors": "three"})
    with app.app_context(), tenant_scope(tenant):
        field_id = next(f.id for f in fields.fields_of("opportunities") if f.key == "floors")
    response = owner_client.post(f"/t/{tenant.slug}/admin/fields/{field_id}", data={
        "label": "Floors", "type": "number", "position": "4", "active": "y"})
    assert response.status_code == 422
    assert "stored values would be lost" in response.get_data(as_text=True)


def test_a_sales_rep_fills_fields_but_cannot_define_them(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    rep = client_as(app, tenant, "sales_rep")
    assert rep.post(f"/t/{tenant.slug}/admin/fields/new", data={
        "entity": "opportunities", "key": "x", "label": "X", "type": "text"}).status_code == 403
    with app.app_context(), tenant_scope(tenant):
        from app.auth.models import User
        rep_id = db.session.scalars(sa.select(User.id).order_by(User.id.desc())).first()
        # A rep ("own" visibility) sells to their own customers only.
        db.session.execute(sa.update(Customer).values(owner_id=rep_id))
        db.session.commit()
    saved = _post(rep, tenant, {**deal, "owner": rep_id, "cf_channel": "store"})
    assert saved.status_code == 302
    assert 'data-testid="custom-channel">store' in rep.get(saved.location).get_data(as_text=True)


def test_the_data_export_holds_the_custom_values(app, owner_client, tenant):
    deal = _setup(app, owner_client, tenant)
    _post(owner_client, tenant, {**deal, "cf_channel": "online", "cf_budget": "7"})
    assert owner_client.post(f"/t/{tenant.slug}/admin/export/").status_code == 302
    download = owner_client.get(f"/t/{tenant.slug}/admin/export/1/download")
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    rows = list(csv.DictReader(io.StringIO(archive.read("csv/opportunities.csv").decode())))
    assert [row["custom"] for row in rows] == [
        '{"budget": "7.00", "channel": "online", "visit_on": null}']
