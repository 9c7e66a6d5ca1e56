"""The admin's list of outgoing mail that failed or waits: Retry, Discard, other tenants' ids."""
import sqlalchemy as sa

from app.access.models import Role
from app.extensions import db
from app.mail.models import OutboxMail
from tenants.context import tenant_scope
from tests.conftest import client_as
from tests.mailbox import mail_count


def _invite(client, app, tenant, email):
    with app.app_context(), tenant_scope(tenant):
        role = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
    response = client.post(f"/t/{tenant.slug}/admin/users/invite",
                           data={"email": email, "role": role, "unit": 0})
    assert response.status_code == 302  # the invitation is made even though its mail fails


def _rows(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return {row.to_address: row for row in db.session.scalars(sa.select(OutboxMail))}


def _table(page: str) -> str:
    return page[page.index('data-testid="outbox"'):]


def test_an_admin_retries_and_discards_failed_mail(app, tenant, owner_client, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # the sink cannot be written: every delivery fails
    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(blocked))
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    _invite(owner_client, app, tenant, "retry@example.com")
    _invite(owner_client, app, tenant, "drop@example.com")
    rows = _rows(app, tenant)
    assert {rows[a].status for a in ("retry@example.com", "drop@example.com")} == {"failed"}

    base = f"/t/{tenant.slug}/admin/mail"
    page = owner_client.get(f"{base}/").get_data(as_text=True)
    table = _table(page)
    assert "retry@example.com" in table and "drop@example.com" in table
    assert "You are invited to Kehu CRM" in table and "FileExistsError" in table
    assert 'badge text-bg-danger">2<' in page  # the count on the "Failed" tab

    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(tmp_path / "sink"))
    retried = owner_client.post(f"{base}/{rows['retry@example.com'].id}/retry", data={"status": "failed"})
    assert retried.status_code == 302 and retried.headers["Location"].endswith("/admin/mail/?status=failed")
    assert mail_count(app, "retry@example.com") == 1
    again = owner_client.post(f"{base}/{rows['retry@example.com'].id}/retry", follow_redirects=True)
    assert "already sent or discarded" in again.get_data(as_text=True)  # a double click sends nothing
    assert mail_count(app, "retry@example.com") == 1

    assert owner_client.post(f"{base}/{rows['drop@example.com'].id}/discard").status_code == 302
    rows = _rows(app, tenant)
    assert (rows["retry@example.com"].status, rows["drop@example.com"].status) == ("sent", "discarded")
    assert mail_count(app, "drop@example.com") == 0
    assert "drop@example.com" not in _table(owner_client.get(f"{base}/").get_data(as_text=True))
    assert "drop@example.com" in _table(owner_client.get(f"{base}/?status=discarded").get_data(as_text=True))
    assert "retry@example.com" in _table(owner_client.get(f"{base}/?status=sent").get_data(as_text=True))
    assert owner_client.get(f"{base}/?status=nonsense").status_code == 404


def test_another_workspace_cannot_touch_this_ones_mail(app, tenant, owner_client, new_tenant,
                                                        monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setitem(app.config, "MAIL_SINK_DIR", str(blocked))
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    _invite(owner_client, app, tenant, "mine@example.com")
    mail_id = _rows(app, tenant)["mine@example.com"].id
    other = new_tenant()
    other_admin = client_as(app, other, "admin")
    for action in ("retry", "discard"):
        assert other_admin.post(f"/t/{other.slug}/admin/mail/{mail_id}/{action}").status_code == 404
    assert "mine@example.com" not in other_admin.get(f"/t/{other.slug}/admin/mail/").get_data(as_text=True)
    assert _rows(app, tenant)["mine@example.com"].status == "failed"
