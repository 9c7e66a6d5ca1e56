"""The SMTP server down: the user's action still succeeds, the mail waits in the outbox and is
delivered exactly once when the server is back (a real SMTP server, aiosmtpd, stopped mid-run
and restarted); a permanent refusal fails the message, never the action."""
import threading
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.access.models import Role
from app.extensions import db
from app.job_scope import job_scope
from app.mail.delivery import deliver_all
from app.mail.models import OutboxMail
from app.mail.outbox import utcnow
from app.scheduler import handlers
from app.users.models import Invitation
from tenants.context import tenant_scope
from tests.live_server import free_port


class Inbox:
    """What the SMTP server accepted; addresses starting with "refused" get a 550."""

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode("utf8", "replace")))
        return "250 OK"

    def recipients(self) -> Counter:
        return Counter(to for tos, _content in self.received for to in tos)


class SmtpServer:
    """aiosmtpd on a free port, that can be stopped and started again on the same port."""

    def __init__(self, app, monkeypatch):
        self.port, self.inbox, self.controller = free_port(), Inbox(), None
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", self.port)

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _invite(client, tenant, email):
    return client.post(f"/t/{tenant.slug}/admin/users/invite",
                       data={"email": email, "role": _rep_role(client.application, tenant),
                             "unit": 0})


def _rep_role(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()


def _tick(app, tenant, now):
    """What the scheduler's tick does for this tenant's mail at `now`."""
    with app.app_context(), job_scope(tenant):
        return handlers()["mail.outbox"](now)


def _outbox(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return {row.to_address: (row.status, row.attempts, row.last_error)
                for row in db.session.scalars(sa.select(OutboxMail))}


def test_mail_sent_while_smtp_is_down_is_delivered_once_when_it_is_back(
        app, tenant, owner_client, client, monkeypatch):
    smtp = SmtpServer(app, monkeypatch)
    smtp.start()
    try:
        for name in ("one", "two", "three"):
            assert _invite(owner_client, tenant, f"{name}@example.com").status_code == 302
        assert smtp.inbox.recipients() == Counter({"one@example.com": 1, "two@example.com": 1,
                                                   "three@example.com": 1})

        smtp.stop()  # the mail server goes away mid-run
        for name in ("four", "five"):
            assert _invite(owner_client, tenant, f"{name}@example.com").status_code == 302
        forgot = client.post(f"/t/{tenant.slug}/password/forgot",
                             data={"email": f"owner@{tenant.slug}.example"})
        assert forgot.status_code == 302  # every action succeeds all the same
        with app.app_context(), tenant_scope(tenant):
            emails = set(db.session.scalars(sa.select(Invitation.email)))
        assert {"four@example.com", "five@example.com"} <= emails
        waiting = {to: state for to, state in _outbox(app, tenant).items() if state[0] == "pending"}
        assert set(waiting) == {"four@example.com", "five@example.com", f"owner@{tenant.slug}.example"}
        assert all(attempts == 1 and "ConnectionRefusedError" in error
                   for _status, attempts, error in waiting.values())

        # While the server is down the scheduler's tries fail too, and nothing is lost.
        _tick(app, tenant, utcnow() + timedelta(minutes=2))
        assert {to for to, state in _outbox(app, tenant).items() if state[0] == "pending"} == set(waiting)

        smtp.start()
        assert _tick(app, tenant, utcnow() + timedelta(hours=1)) is None  # nothing left to do
        _tick(app, tenant, utcnow() + timedelta(hours=2))  # a later tick sends nothing again
        everyone = ["one", "two", "three", "four", "five"]
        assert smtp.inbox.recipients() == Counter(
            {**{f"{name}@example.com": 1 for name in everyone}, f"owner@{tenant.slug}.example": 1})
        assert {state[0] for state in _outbox(app, tenant).values()} == {"sent"}
        invitation_text = next(text for tos, text in smtp.inbox.received if tos == ["five@example.com"])
        assert "/invitation/" in invitation_text
    finally:
        smtp.stop()


def test_a_refused_address_fails_the_message_not_the_action_and_the_admin_sees_it(
        app, tenant, owner_client, monkeypatch):
    smtp = SmtpServer(app, monkeypatch)
    smtp.start()
    try:
        assert _invite(owner_client, tenant, "refused@example.com").status_code == 302
        assert _invite(owner_client, tenant, "welcome@example.com").status_code == 302
        outbox = _outbox(app, tenant)
        assert outbox["refused@example.com"][:2] == ("failed", 1)
        assert "550 5.1.1 No such mailbox here" in outbox["refused@example.com"][2]
        assert outbox["welcome@example.com"][0] == "sent"
        page = owner_client.get(f"/t/{tenant.slug}/admin/mail/").get_data(as_text=True)
        page = page[page.index('data-testid="outbox"'):]  # the list, not the flashed messages
        assert "refused@example.com" in page and "550 5.1.1" in page
        assert "welcome@example.com" not in page  # sent: on the "Sent" tab only
        assert smtp.inbox.recipients() == Counter({"welcome@example.com": 1})
    finally:
        smtp.stop()


def test_flask_mail_deliver_sends_what_waits_once_the_server_is_back(
        app, tenant, owner_client, monkeypatch):
    smtp = SmtpServer(app, monkeypatch)  # not started: nothing listens on the port yet
    assert _invite(owner_client, tenant, "early@example.com").status_code == 302
    runner = app.test_cli_runner()
    still_down = runner.invoke(args=["mail", "deliver", "--all"])
    assert still_down.exit_code == 1 and "0 sent" in still_down.output
    smtp.start()
    try:
        result = runner.invoke(args=["mail", "deliver"])  # the retry time has not come yet
        assert "0 sent" in result.output and smtp.inbox.received == []
        result = runner.invoke(args=["mail", "deliver", "--all"])
        assert result.exit_code == 0 and "1 sent, 0 failed, 0 waiting." in result.output
        assert smtp.inbox.recipients() == Counter({"early@example.com": 1})
    finally:
        smtp.stop()


def test_two_deliverers_at_once_send_each_message_once(app, tenant, owner_client, monkeypatch):
    smtp = SmtpServer(app, monkeypatch)
    addresses = [f"guest{n}@example.com" for n in range(12)]
    for address in addresses:  # written while the server is down: all of them wait
        assert _invite(owner_client, tenant, address).status_code == 302
    smtp.start()
    try:
        start, errors = threading.Barrier(2), []

        def deliverer():
            try:
                with app.app_context():  # a session and connection of its own, as another process
                    start.wait()
                    with job_scope(tenant):
                        deliver_all(waiting_too=True)
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)

        threads = [threading.Thread(target=deliverer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert smtp.inbox.recipients() == Counter({address: 1 for address in addresses})
    finally:
        smtp.stop()
