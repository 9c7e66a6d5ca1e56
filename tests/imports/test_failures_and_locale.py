"""Item: no 500 for a remembered mapping naming a deactivated custom field; a crafted
request never leaves a job "running"; a queued job reports errors in the user's language."""
import io

import sqlalchemy as sa

from app import storage
from app.auth.models import User
from app.customfields import services as fields
from app.extensions import db
from app.imports import pipeline, services
from app.imports.models import ImportJob
from app.imports.targets import CUSTOMERS
from tenants.context import tenant_scope


def _upload(client, tenant, data=b"name,Store size\nAcme,big\n"):
    response = client.post(f"/t/{tenant.slug}/import/customers",
                           data={"file": (io.BytesIO(data), "c.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return response.location


def _owner(tenant):
    return db.session.scalars(sa.select(User).order_by(User.id)).first()


def test_a_remembered_mapping_naming_a_deactivated_field_opens_the_page(app, owner_client, tenant):
    with app.app_context(), tenant_scope(tenant):
        field = fields.define("customers", "store_size", "Store size", "text")
        pipeline.remember_mapping(CUSTOMERS, _owner(tenant).id,
                                  {"name": "name", "Store size": "cf_store_size"})
        db.session.flush()
        fields.change(field, label="Store size", field_type="text", required=False, position=0,
                      help_text=None, options=(), active=False)
        db.session.commit()
    page = owner_client.get(_upload(owner_client, tenant))
    assert page.status_code == 200 and "Acme" in page.get_data(as_text=True)


def test_a_crafted_mapping_is_refused_and_the_job_stays_pending(app, owner_client, tenant):
    location = _upload(owner_client, tenant)
    for go in ("0", "1"):
        response = owner_client.post(location, data={"map-0": "password_hash", "map-1": "name",
                                                      "policy": "skip", "go": go})
        assert response.status_code == 422
        assert "Choose a field from the list" in response.get_data(as_text=True)
    response = owner_client.post(location, data={"map-0": "name", "policy": "wipe", "go": "1"})
    assert response.status_code == 422
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalars(sa.select(ImportJob.status)).all() == ["pending"]


def test_a_job_that_cannot_even_read_its_file_ends_failed(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        job = services.stage_upload("customers", "c.csv", b"name\nAcme\n", _owner(tenant).id)
        job.status = "running"
        db.session.commit()
        storage.delete(job.file_key)
        job_id = job.id
    with app.app_context():
        services.run_import_job(tenant.id, job_id, {"name": "name"})
    with app.app_context(), tenant_scope(tenant):
        job = db.session.get(ImportJob, job_id)
        assert job.status == "failed" and job.finished_at is not None


class FakeQueue:
    """Stands in for RQ's Queue: keeps what was enqueued, as Redis would."""
    jobs = []

    def __init__(self, *args, **kwargs):
        pass

    def enqueue(self, function, *args, **kwargs):
        FakeQueue.jobs.append((function, args, kwargs))


def test_a_queued_import_reports_errors_in_the_users_language(app, tenant, monkeypatch):
    import rq

    from tests.conftest import client_as

    client = client_as(app, tenant, "sales_rep", locale="zh_Hans")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://queue.invalid:6379/0")
    monkeypatch.setattr(rq, "Queue", FakeQueue)
    monkeypatch.setattr("redis.Redis.from_url", lambda url, **options: None)
    FakeQueue.jobs = []
    location = _upload(client, tenant, "客户名称,电话\n甲公司,12\n".encode())
    assert client.post(location, data={"map-0": "name", "map-1": "phone", "policy": "skip",
                                       "go": "1"}).status_code == 302
    (function, args, kwargs), = FakeQueue.jobs
    assert kwargs["job_timeout"] > 180  # sized to the rows, never RQ's default
    with app.app_context():  # the worker: no request, no user, no browser language
        function(*args, **{k: v for k, v in kwargs.items() if k != "job_timeout"})
    with app.app_context(), tenant_scope(tenant):
        job = db.session.scalars(sa.select(ImportJob)).one()
        assert job.status == "invalid"
        assert job.errors[0][2] == "这不是可拨打的电话号码。"
