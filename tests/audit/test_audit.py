"""The audit log: field-level entries from every flush, admin actions, an append-only table."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import User
from app.auth.services import set_password
from app.extensions import db
from app.sales.models import PipelineStage
from tenants.context import tenant_scope
from tests.admin_helpers import client_as, html
from tests.conftest import login


def _entries(app, tenant, **where):
    with app.app_context(), tenant_scope(tenant):
        stmt = sa.select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
        entries = db.session.scalars(stmt).all()
        db.session.expunge_all()
        return entries


def _table(response) -> str:
    """The entries table of the viewer (the filter form names every action too)."""
    return html(response).split('data-testid="audit-entries"')[1]


def test_create_change_and_delete_are_logged_field_by_field(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        stage = PipelineStage(name="Site visit", position=9, probability=30)
        db.session.add(stage)
        db.session.commit()
        stage_id = stage.id
        stage.name, stage.probability = "Showroom visit", 40
        db.session.commit()
        db.session.delete(stage)
        db.session.commit()
    created, changed, deleted = _entries(app, tenant, record_type="pipeline_stages",
                                         record_id=str(stage_id))
    assert created.action == "create" and created.changes["name"] == [None, "Site visit"]
    assert changed.action == "update"
    assert changed.changes == {"name": ["Site visit", "Showroom visit"], "probability": [30, 40]}
    assert deleted.action == "delete" and deleted.changes["name"] == ["Showroom visit", None]
    assert created.user_label == "" and created.user_id is None  # no request: the system


def test_a_rolled_back_change_leaves_no_entry(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        db.session.add(PipelineStage(name="Never kept", position=9, probability=30))
        db.session.flush()
        db.session.rollback()
    assert not [e for e in _entries(app, tenant, action="create")
                if e.changes.get("name") == [None, "Never kept"]]


def test_password_changes_are_logged_without_the_hash(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.scalars(sa.select(User)).one()
        set_password(owner, "another-long-password")
        db.session.commit()
    (entry,) = _entries(app, tenant, action="update", record_type="users")
    assert entry.changes["password_hash"] == ["***", "***"]
    assert entry.changes["session_version"] == [1, 2]


def test_the_database_refuses_to_change_or_delete_entries(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        audit.record("export_requested", details={"job": 1})
        db.session.commit()
        for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log"):
            with pytest.raises(DBAPIError, match="cannot be changed or deleted"):
                db.session.execute(sa.text(statement))
            db.session.rollback()
    assert len(_entries(app, tenant, action="export_requested")) == 1


def test_logins_and_failed_logins_are_logged_and_shown_to_the_admin(app, client, tenant):
    assert login(client, tenant, password="wrong-password-1").status_code == 422
    assert login(client, tenant).status_code == 302
    failed, = _entries(app, tenant, action="login_failed")
    assert failed.changes == {"email": f"owner@{tenant.slug}.example"} and failed.ip
    page = _table(client.get(f"/t/{tenant.slug}/admin/audit/"))
    assert "Failed log-in" in page and "Logged in" in page
    assert f"owner@{tenant.slug}.example" in page


@pytest.mark.parametrize("role_key, status", [("owner", 200), ("admin", 200),
                                              ("sales_manager", 403), ("read_only", 403)])
def test_only_admins_see_the_audit_log(app, tenant, role_key, status):
    client = client_as(app, tenant, role_key)
    assert client.get(f"/t/{tenant.slug}/admin/audit/").status_code == status


def test_the_audit_log_needs_login(client, tenant):
    response = client.get(f"/t/{tenant.slug}/admin/audit/")
    assert response.status_code == 302 and "/login" in response.location


def test_no_edit_routes_exist(owner_client, tenant):
    for method in ("post", "put", "delete"):
        response = getattr(owner_client, method)(f"/t/{tenant.slug}/admin/audit/")
        assert response.status_code == 405


def test_filters_by_action_record_type_user_and_dates(app, owner_client, tenant):
    with app.app_context(), tenant_scope(tenant):
        db.session.add(PipelineStage(name="Filtered stage", position=9, probability=30))
        db.session.commit()
        owner_id = db.session.scalars(sa.select(User.id)).one()
    url = f"/t/{tenant.slug}/admin/audit/"
    stages = _table(owner_client.get(url, query_string={"record_type": "pipeline_stages"}))
    assert "Filtered stage" in stages and "Logged in" not in stages
    logins = _table(owner_client.get(url, query_string={"action": "login", "user": owner_id}))
    assert "Logged in" in logins and "Filtered stage" not in logins
    today = date.today()
    future = html(owner_client.get(url, query_string={"since": str(today + timedelta(days=2))}))
    assert "No entries match." in future
    span = {"since": str(today - timedelta(days=1)), "until": str(today + timedelta(days=1))}
    assert "Filtered stage" in html(owner_client.get(url, query_string=span))


def test_a_reversed_date_range_is_explained(owner_client, tenant):
    response = owner_client.get(f"/t/{tenant.slug}/admin/audit/",
                                query_string={"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 422
    assert "The end date is before the start date." in html(response)


def test_pages_follow_each_other_without_gaps_or_repeats(app, owner_client, tenant):
    with app.app_context(), tenant_scope(tenant):
        for n in range(60):
            audit.record("export_requested", details={"n": n})
        db.session.commit()
    url = f"/t/{tenant.slug}/admin/audit/"
    query = {"action": "export_requested"}
    first = html(owner_client.get(url, query_string=query))
    assert first.count("<code>n</code>") == 50 and "<code>n</code>: 59" in first
    cursor = first.split("before=")[1].split("&")[0].split('"')[0]
    second = html(owner_client.get(url, query_string={**query, "before": cursor}))
    assert second.count("<code>n</code>") == 10 and "<code>n</code>: 0<" in second
    assert "Older entries" not in second


def test_one_tenants_entries_never_show_in_another(app, new_tenant):
    first, second = new_tenant(), new_tenant()
    with app.app_context(), tenant_scope(first):
        audit.record("export_requested", details={"marker": "only-in-first"})
        db.session.commit()
    client = app.test_client()
    login(client, second)
    assert "only-in-first" not in html(client.get(f"/t/{second.slug}/admin/audit/"))
