"""While provider staff impersonate a tenant user, every file the workspace hands out is
written to the provider audit log and the tenant's audit log; the full export stays refused."""
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.downloads import ACTION
from app.extensions import db
from app.provider.models import ProviderAudit
from tenants.context import tenant_scope
from tests.access.hidden import make_hidden
from tests.console import console_client
from tests.conftest import make_tenant

# Downloads the seeded data offers the owner (tests/access/hidden.py: a file, a quote...).
EXPECTED_DOWNLOADS = {
    "workspace.attachments.download", "workspace.documents.quote_pdf",
    "workspace.customers.export", "workspace.orders.export",
    "workspace.products.export", "workspace.forecast.export",
}


def _owner_id(app, tenant) -> int:
    from app.auth.models import User
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(User.id).order_by(User.id)).first()


def _provider_entries(app, tenant) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            sa.select(ProviderAudit.actor_email, ProviderAudit.detail)
            .where(ProviderAudit.tenant_id == tenant.id, ProviderAudit.action == ACTION)
            .order_by(ProviderAudit.id))]


def _tenant_entries(app, tenant) -> list[tuple[str, str, dict]]:
    with app.app_context(), tenant_scope(tenant):
        return [tuple(row) for row in db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.user_label, AuditEntry.changes)
            .where(AuditEntry.action.in_([ACTION, "export"])).order_by(AuditEntry.id))]


def _impersonating(app, tenant):
    support = console_client(app, "support")
    started = support.post(f"/provider/tenants/{tenant.id}/impersonate", data={
        "user_id": _owner_id(app, tenant), "confirm": "yes", "reason": "ticket 7"})
    assert started.status_code == 302
    return support


def test_every_download_while_impersonating_is_in_both_audit_logs(app):
    tenant = make_tenant(app, prefix="d")
    make_hidden(app, tenant)  # the owner's customer, quote and file, id 1 each
    support = _impersonating(app, tenant)
    downloaded = set()
    rules = sorted((r for r in app.url_map.iter_rules()
                    if r.endpoint.startswith("workspace.") and "GET" in r.methods),
                   key=lambda r: r.endpoint)
    for rule in rules:
        values = {arg: tenant.slug if arg == "tenant_slug" else 1 for arg in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        before = len(_provider_entries(app, tenant))
        response = support.get(path, query_string={"format": "csv"})
        entries = _provider_entries(app, tenant)
        if "Content-Disposition" in response.headers and response.status_code == 200:
            downloaded.add(rule.endpoint)
            assert len(entries) == before + 1, f"{path} was not audited"
            staff_email, detail = entries[-1]
            assert path in detail and f"owner@{tenant.slug}.example" in detail
            assert staff_email.startswith("support-")
        else:
            assert len(entries) == before, path
    assert downloaded >= EXPECTED_DOWNLOADS
    # The whole workspace is never handed to staff: the full export stays refused.
    assert support.get(f"/t/{tenant.slug}/admin/export/1/download").status_code == 403

    tenant_log = _tenant_entries(app, tenant)
    staff_label = f"(provider staff, as owner@{tenant.slug}.example)"
    assert {changes["file"] for action, _label, changes in tenant_log if action == ACTION} >= {
        "contract.pdf"}
    # List exports keep their own "export" entry; it, too, names the staff member.
    assert all(staff_label in label for _action, label, _changes in tenant_log)
    assert any(action == "export" for action, _label, _changes in tenant_log)


def test_downloads_by_the_tenants_own_users_touch_no_provider_log(app, owner_client, tenant):
    make_hidden(app, tenant)
    assert owner_client.get(f"/t/{tenant.slug}/quotes/1/pdf").status_code == 200
    assert owner_client.get(f"/t/{tenant.slug}/attachments/1").status_code == 200
    assert _provider_entries(app, tenant) == []
    assert [action for action, _label, _changes in _tenant_entries(app, tenant)] == []
