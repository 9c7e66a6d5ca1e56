"""Export all my data: a zip with every table as CSV and Excel, attachments, progress, mail."""
import email
import email.policy
import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.auth.models import User
from app.export import builder
from app.export.models import ExportJob
from app.export.workbook import cell_value
from app.extensions import db
from app.tenant_schema import metadata
from tenants.context import tenant_scope
from tenants.files import upload_dir
from tests.admin_helpers import client_as, html
from tests.conftest import login


def _mails_to(app, address):
    sink = Path(app.config["MAIL_SINK_DIR"])
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(sink.glob(f"*-{address.replace('@', '_at_')}.eml"))]


def _export(owner_client, tenant) -> zipfile.ZipFile:
    base = f"/t/{tenant.slug}/admin/export/"
    started = owner_client.post(base)
    assert started.status_code == 302
    page = html(owner_client.get(base))
    assert "Ready" in page and "Download" in page
    response = owner_client.get(f"{base}1/download")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert f"{tenant.slug}-export-1.zip" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_export_holds_every_table_as_csv_and_excel_plus_attachments(app, owner_client, tenant):
    with app.app_context():
        folder = upload_dir(tenant) / "branding"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nlogo")
    with app.app_context(), tenant_scope(tenant):
        db.session.scalars(sa.select(User)).one().name = "=HYPERLINK(\"http://evil\")"
        db.session.commit()
    archive = _export(owner_client, tenant)
    names = set(archive.namelist())
    assert {f"csv/{t}.csv" for t in metadata.tables} <= names
    assert "attachments/branding/logo.png" in names
    users_csv = archive.read("csv/users.csv").decode()
    assert users_csv.startswith("id,email,name,") and '"=HYPERLINK(""http://evil"")"' in users_csv
    workbook = load_workbook(io.BytesIO(archive.read(f"{tenant.slug}.xlsx")))
    assert set(workbook.sheetnames) == set(metadata.tables)
    users = list(workbook["users"].values)
    assert users[0][:3] == ("id", "email", "name")
    assert users[1][2] == "'=HYPERLINK(\"http://evil\")"  # text, never a formula
    assert len(list(workbook["roles"].values)) == 1 + 7


def test_the_admin_is_mailed_a_link_and_both_steps_are_audited(app, owner_client, tenant):
    _export(owner_client, tenant)
    (mail,) = _mails_to(app, f"owner@{tenant.slug}.example")
    assert mail["Subject"] == "Your data export is ready"
    assert f"/t/{tenant.slug}/admin/export/1/download" in mail.get_content()
    with app.app_context(), tenant_scope(tenant):
        actions = db.session.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.action.like("export%")).order_by(AuditEntry.id)).all()
    assert actions == ["export_requested", "export_downloaded"]


def test_the_mailed_link_asks_for_a_login_first(app, client, owner_client, tenant):
    _export(owner_client, tenant)
    response = client.get(f"/t/{tenant.slug}/admin/export/1/download")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("role_key", ["sales_manager", "read_only"])
def test_only_admins_export(app, owner_client, tenant, role_key):
    _export(owner_client, tenant)
    client = client_as(app, tenant, role_key)
    base = f"/t/{tenant.slug}/admin/export/"
    for response in (client.get(base), client.post(base), client.get(f"{base}1/download"),
                     client.get(f"{base}1/status")):
        assert response.status_code == 403


def test_another_tenants_admin_cannot_download(app, owner_client, new_tenant, tenant):
    _export(owner_client, tenant)
    other = new_tenant()
    client = app.test_client()
    login(client, other)
    assert client.get(f"/t/{other.slug}/admin/export/1/download").status_code == 404
    assert client.get(f"/t/{tenant.slug}/admin/export/1/download").status_code == 302


def test_a_pending_export_shows_progress_and_polls(app, owner_client, tenant):
    with app.app_context(), tenant_scope(tenant):
        owner_id = db.session.scalars(sa.select(User.id)).one()
        db.session.add(ExportJob(requested_by=owner_id, status="running", progress=40))
        db.session.commit()
    fragment = html(owner_client.get(f"/t/{tenant.slug}/admin/export/1/status"))
    assert 'hx-trigger="every 2s"' in fragment and '<progress max="100" value="40">' in fragment
    refused = owner_client.post(f"/t/{tenant.slug}/admin/export/", follow_redirects=True)
    assert "An export is already being built." in html(refused)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ExportJob)) == 1


def test_a_failed_export_says_so_on_the_page_and_in_the_mail(app, owner_client, tenant,
                                                              monkeypatch):
    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(builder, "add_sheet", broken)
    owner_client.post(f"/t/{tenant.slug}/admin/export/")
    page = html(owner_client.get(f"/t/{tenant.slug}/admin/export/"))
    assert "Failed" in page and "Download" not in page
    assert owner_client.get(f"/t/{tenant.slug}/admin/export/1/download").status_code == 404
    (mail,) = _mails_to(app, f"owner@{tenant.slug}.example")
    assert mail["Subject"] == "Your data export failed"


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ("+8613800000000", "'+8613800000000"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("plain 文本", "plain 文本"), ({"a": ["=x"]}, '{"a": ["=x"]}'), (None, None), (3, 3),
    ("bell\x07", "bell"),
    (datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc), datetime(2026, 1, 2, 3, 4)),
])
def test_cells_are_never_formulas(value, shown):
    assert cell_value(value) == shown
