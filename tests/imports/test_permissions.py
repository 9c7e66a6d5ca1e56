"""Item: import is no side door. Each target needs its own module's create (and edit, for
the update policy); rows match only records the user may see; a row matching a record the
user may not see is reported as not theirs, without describing that record."""
import io

import sqlalchemy as sa

from app.customers import services as customers
from app.customers.models import Customer
from app.extensions import db
from app.imports.models import ImportJob
from tenants.context import tenant_scope
from tests.background import wait_for_jobs
from tests.conftest import add_user, client_as


def _upload(client, tenant, target, data):
    return client.post(f"/t/{tenant.slug}/import/{target}", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "f.csv")})


def test_each_target_needs_its_own_modules_create_right(app, tenant):
    rep, agent = client_as(app, tenant, "sales_rep"), client_as(app, tenant, "service_agent")
    assert _upload(rep, tenant, "products", b"code,name,price\nP1,Chair,0.01\n").status_code == 403
    assert agent.get(f"/t/{tenant.slug}/import/contacts").status_code == 403
    assert rep.get(f"/t/{tenant.slug}/import/contacts").status_code == 200


def test_updating_needs_the_edit_right(app, tenant):
    agent = client_as(app, tenant, "call_center_agent")  # customers: view and create only
    upload = _upload(agent, tenant, "customers", b"name,email\nAcme,a@acme.example\n")
    page = agent.get(upload.location).get_data(as_text=True)
    assert 'value="update"' not in page and 'value="skip"' in page
    refused = agent.post(upload.location, data={"map-0": "name", "map-1": "email",
                                                "policy": "update", "go": "1"})
    assert refused.status_code == 422 and "may not change existing records" in refused.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(ImportJob.status)) == "pending"


def test_a_rep_updates_only_their_own_customers_and_learns_nothing_of_others(app, tenant):
    other_id = add_user(app, tenant, "sales_rep", email="other@example.com")
    with app.app_context(), tenant_scope(tenant):
        customers.create_customer({"name": "Theirs", "code": "T-1", "email": "t@x.example",
                                   "credit_limit": 5000}, other_id)
        db.session.commit()
    rep = client_as(app, tenant, "sales_rep")
    data = b"code,name,email,credit limit\nT-1,Mine now,,0\n,Also mine,t@x.example,1\n"
    upload = _upload(rep, tenant, "customers", data)
    started = rep.post(upload.location, data={"map-0": "code", "map-1": "name", "map-2": "email",
                                              "map-3": "credit_limit", "policy": "update", "go": "1"})
    wait_for_jobs()
    page = rep.get(started.location).get_data(as_text=True)
    assert 'data-status="done"' in page and "Not yours" in page and "Theirs" not in page
    with app.app_context(), tenant_scope(tenant):
        theirs = db.session.scalars(sa.select(Customer).where(Customer.code == "T-1")).one()
        assert (theirs.name, theirs.credit_limit) == ("Theirs", 5000)  # untouched
        # the e-mail of a customer the rep cannot see matches nothing: a customer of their own
        mine = db.session.scalars(sa.select(Customer).where(Customer.name == "Also mine")).one()
        assert mine.owner_id != other_id and mine.code != "T-1"
        job = db.session.scalars(sa.select(ImportJob)).one()
        assert (job.created_count, job.updated_count, job.skipped_count) == (1, 0, 1)
