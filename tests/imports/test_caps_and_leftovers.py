"""Item: what is capped is said; import files go when the job ends; progress shows in every
mode (without a queue too)."""
import io
import threading

import pytest
import sqlalchemy as sa

from app import storage
from app.customers import list_actions, services as customers
from app.extensions import db
from app.imports import pipeline
from app.imports.models import ImportJob
from tenants.context import tenant_scope
from tests.background import wait_for_jobs
from tests.imports.conftest import owner_id, run_import


def test_an_export_over_the_cap_is_refused_with_a_message(app, owner_client, tenant, monkeypatch):
    with app.app_context(), tenant_scope(tenant):
        for name in ("A", "B", "C"):
            customers.create_customer({"name": name}, owner_id())
        db.session.commit()
    monkeypatch.setattr(list_actions, "EXPORT_LIMIT", 2)
    base = f"/t/{tenant.slug}/customers/"
    refused = owner_client.get(base + "export?format=csv", follow_redirects=True)
    assert "more than 2 customers" in refused.get_data(as_text=True)
    assert refused.mimetype == "text/html"
    exported = owner_client.get(base + "export?format=csv&q=A")
    assert exported.mimetype == "text/csv"


@pytest.mark.parametrize("data, status", [
    (b"name\nAcme\n", "done"),
    (b"name,email\nAcme,not-mail\n", "invalid"),
])
def test_the_uploaded_file_is_deleted_when_the_job_ends(scope, data, status):
    job = run_import(data)
    assert job.status == status
    assert not storage.path_of(job.file_key).exists()


def test_without_a_queue_start_answers_at_once_and_the_page_shows_progress(
        app, owner_client, tenant, monkeypatch):
    entered, release, real_write = threading.Event(), threading.Event(), pipeline.write

    def slow_write(*args, **kwargs):
        entered.set()
        release.wait(30)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write", slow_write)
    upload = owner_client.post(f"/t/{tenant.slug}/import/customers", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(b"name\nAcme\nBeta\n"), "c.csv")})
    started = owner_client.post(upload.location, data={"map-0": "name", "policy": "skip", "go": "1"})
    try:
        assert entered.wait(30)  # the rows are checked; saving has begun in the background
        page = owner_client.get(started.location).get_data(as_text=True)
        assert 'data-status="running"' in page and "Saving… 0 of 2 rows" in page
    finally:
        release.set()
        wait_for_jobs()
    page = owner_client.get(started.location).get_data(as_text=True)
    assert 'data-status="done"' in page and "2 created" in page
    with app.app_context(), tenant_scope(tenant):
        job = db.session.scalars(sa.select(ImportJob)).one()
        assert not storage.path_of(job.file_key).exists()


def test_an_upload_never_started_loses_its_file_after_a_day(scope):
    from app.imports import services

    old = services.stage_upload("customers", "c.csv", b"name\nAcme\n", owner_id())
    db.session.commit()
    db.session.execute(sa.update(ImportJob).where(ImportJob.id == old.id)
                       .values(created_at=sa.func.now() - sa.text("interval '2 days'")))
    db.session.commit()
    services.stage_upload("customers", "c.csv", b"name\nBeta\n", owner_id())
    db.session.commit()
    assert not storage.path_of(old.file_key).exists()
    assert db.session.get(ImportJob, old.id).status == "failed"
