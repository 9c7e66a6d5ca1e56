"""The one job wrapper (app/job_scope.py): language, links, tenant scope, commit or roll back."""
import pytest
import sqlalchemy as sa
from flask import url_for

from app.auth.models import User
from app.customers.models import Customer
from app.customers.services import create_customer
from app.extensions import db
from app.imports import pipeline, services as imports
from app.imports.models import ImportJob
from app.imports.targets import TARGETS
from app.job_scope import for_each_active_tenant, job_scope
from tenants.context import current_tenant, tenant_scope
from tests.conftest import add_user


def _names(app, tenant) -> list[str]:
    with app.app_context(), tenant_scope(tenant):
        return sorted(db.session.scalars(sa.select(Customer.name)))


def test_an_import_run_for_a_zh_hans_user_lists_its_problems_in_chinese(app, new_tenant):
    tenant = new_tenant(locale="en")
    user_id = add_user(app, tenant, "admin", locale="zh_Hans")
    with app.test_request_context(), tenant_scope(tenant):
        job = imports.stage_upload("customers", "c.csv", b"name,phone\nBad Phone,12\n", user_id)
        mapping = pipeline.suggest_mapping(TARGETS["customers"], ["name", "phone"], None)
        imports.start(job, mapping, "skip", user_id)
        job_id = job.id
    with app.app_context(), tenant_scope(tenant):
        job = db.session.get(ImportJob, job_id)
        assert job.status == "invalid"
        assert job.errors[0][2] == "这不是可拨打的电话号码。"


def test_links_built_in_a_job_without_a_request_use_base_url(app, tenant, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://crm.example.com/kehu")
    with app.app_context(), job_scope(tenant.id):
        link = url_for("workspace.customers.index", _external=True)
    assert link == f"https://crm.example.com/kehu/t/{tenant.slug}/customers/"


def test_a_job_speaks_the_tenants_language_when_no_user_is_named(app, new_tenant):
    from flask_babel import get_locale

    tenant = new_tenant(locale="zh_Hant")
    with app.app_context(), job_scope(tenant.id) as ref:
        assert str(get_locale()) == "zh_Hant" and current_tenant() == ref
    with app.app_context():
        assert current_tenant() is None  # the scope is restored


def test_a_job_commits_once_at_the_end_or_not_at_all(app, tenant):
    with app.app_context():
        with job_scope(tenant.id):
            create_customer({"name": "Kept"}, None)
        with pytest.raises(RuntimeError), job_scope(tenant.id):
            create_customer({"name": "Rolled back"}, None)
            db.session.flush()
            raise RuntimeError("the job broke")
    assert _names(app, tenant) == ["Kept"]


def test_a_pass_over_every_tenant_commits_each_and_survives_one_failing(app, new_tenant):
    first, broken, last = new_tenant(), new_tenant(), new_tenant()

    def work(ref):
        create_customer({"name": f"Seen by {ref.slug}"}, None)
        if ref.slug == broken.slug:
            raise RuntimeError("this tenant fails")

    with app.app_context():
        result = for_each_active_tenant(work)
        assert {first.slug, last.slug} <= set(result.done)
        assert result.failed[broken.slug] == "this tenant fails"
        only = for_each_active_tenant(lambda ref: None, slug=last.slug)
        assert only.done == [last.slug] and not only.failed
    assert _names(app, first) == [f"Seen by {first.slug}"]
    assert _names(app, broken) == []
    assert _names(app, last) == [f"Seen by {last.slug}"]


def test_the_job_user_must_belong_to_the_tenant_to_choose_the_language(app, new_tenant):
    from flask_babel import get_locale

    tenant = new_tenant(locale="zh_Hans")
    with app.app_context(), job_scope(tenant.id, user_id=10_000):  # no such user
        assert str(get_locale()) == "zh_Hans"
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(User, 10_000) is None
