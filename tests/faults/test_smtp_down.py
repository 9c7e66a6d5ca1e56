"""The SMTP server down: the user's action still succeeds, the mail is kept and
delivered once the server is back (a real SMTP server, aiosmtpd, stopped and restarted)."""
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.access.models import Role
from app.extensions import db
from app.users.models import Invitation
from tenants.context import tenant_scope
from tests.live_server import free_port


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, _server, _session, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode("utf8", "replace")))
        return "250 OK"


def _invite(client, tenant, email):
    return client.post(f"/t/{tenant.slug}/admin/users/invite",
                       data={"email": email, "role": _rep_role(client.application, tenant),
                             "unit": 0})


def _rep_role(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()


def test_mail_sent_while_smtp_is_down_is_delivered_when_it_is_back(
        app, tenant, owner_client, monkeypatch, tmp_path):
    port, inbox = free_port(), Inbox()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert _invite(owner_client, tenant, "first@example.com").status_code == 302
        assert [to for to, _ in inbox.received] == [["first@example.com"]]

        server.stop()  # the mail server goes away mid-run
        response = _invite(owner_client, tenant, "second@example.com")
        assert response.status_code == 302  # the invitation is made all the same
        with app.app_context(), tenant_scope(tenant):
            emails = set(db.session.scalars(sa.select(Invitation.email)))
        assert emails == {"first@example.com", "second@example.com"}
        assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1

        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()
        result = app.test_cli_runner().invoke(args=["mail", "deliver"])
        assert result.exit_code == 0 and "1 sent, 0 waiting." in result.output
        assert [to for to, _ in inbox.received] == [["first@example.com"], ["second@example.com"]]
        assert "/invitation/" in inbox.received[1][1]
        assert list((tmp_path / "outbox").glob("*.eml")) == []
    finally:
        server.stop()


def test_the_next_mail_that_gets_through_takes_the_waiting_ones_along(
        app, tenant, owner_client, monkeypatch, tmp_path):
    port, inbox = free_port(), Inbox()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    # Nothing listens on the port yet.
    assert _invite(owner_client, tenant, "early@example.com").status_code == 302
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert _invite(owner_client, tenant, "later@example.com").status_code == 302
        assert sorted(to[0] for to, _ in inbox.received) == ["early@example.com", "later@example.com"]
    finally:
        server.stop()
