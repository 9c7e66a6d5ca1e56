"""Outbox benchmarks (`python -m bench.mail`): what the outbox costs an action, how fast it
delivers to a local SMTP server (aiosmtpd), and a scheduler pass that finds nothing due.

Prints one JSON object per benchmark, then rewrites the "Mail outbox" section of
docs/PERFORMANCE.md. Database `kehu_bench_mail` on the DATABASE_URL server, or the
embedded server under instance/pgdata-bench. Not a test: a missed target is reported.
"""
import os
import socket
import statistics
import tempfile
import time
from datetime import timedelta

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app import ROOT, create_app, mail
from app.extensions import db
from app.mail.delivery import deliver_due
from app.mail.models import OutboxMail
from app.mail.outbox import utcnow
from bench.common import DOC, bench_database_url, write_section
from bench.tenancy import emit, p95, progress, reset_database
from tenants import provisioning
from tenants.context import tenant_scope
from tenants.migrating import upgrade_public

DATABASE = "kehu_bench_mail"
WRITES = 1000
BATCH = 1000
WAITING = 10_000


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, _server, _session, _envelope):
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_write(app, tenant) -> dict:
    """One mail.send() inside an action's transaction (build, insert, timeline-free)."""
    times = []
    with app.test_request_context(), tenant_scope(tenant):
        for n in range(WRITES):
            start = time.perf_counter()
            mail.send(f"reader{n}@example.com", "Your quotation", "Dear customer,\n" * 20)
            times.append(time.perf_counter() - start)
        db.session.rollback()  # nothing delivered: only the write is measured
    return emit({"bench": "mail_write", "what": "mail.send() in the caller's transaction",
                 "runs": WRITES, "median_ms": round(statistics.median(times) * 1000, 2),
                 "p95_ms": round(p95(times) * 1000, 2), "target": "p95_ms < 10",
                 "met": p95(times) < 0.010})


def bench_delivery(app, tenant) -> dict:
    """BATCH mails written in one transaction, delivered after its commit over one SMTP session."""
    sink, port = Sink(), _free_port()
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        with app.test_request_context(), tenant_scope(tenant):
            for n in range(BATCH):
                mail.send(f"reader{n}@example.com", "Your quotation", "Dear customer,\n" * 20)
            start = time.perf_counter()
            db.session.commit()  # the after-commit job delivers the batch
            seconds = time.perf_counter() - start
    finally:
        server.stop()
        app.config.update(MAIL_SERVER=None)
    rate = BATCH / seconds
    return emit({"bench": "mail_deliver", "what": f"{BATCH} mails delivered after one commit",
                 "received": sink.count, "seconds": round(seconds, 2),
                 "per_second": round(rate), "target": "per_second > 200", "met": rate > 200})


def bench_idle_tick(app, tenant) -> dict:
    """The scheduler's mail pass for a tenant with WAITING rows none of which is due."""
    with app.app_context(), tenant_scope(tenant):
        later = utcnow() + timedelta(hours=1)
        db.session.execute(sa.insert(OutboxMail), [
            {"to_address": f"w{n}@example.com", "subject": "s", "message": b"x", "status": "pending",
             "attempts": 1, "next_attempt_at": later, "give_up_at": later, "created_at": utcnow()}
            for n in range(WAITING)])
        db.session.commit()
        times = []
        for _ in range(50):
            start = time.perf_counter()
            deliver_due(utcnow())
            times.append(time.perf_counter() - start)
            db.session.commit()
    return emit({"bench": "mail_idle_tick", "what": f"mail pass, {WAITING:,} rows waiting, none due",
                 "runs": len(times), "median_ms": round(statistics.median(times) * 1000, 2),
                 "p95_ms": round(p95(times) * 1000, 2), "target": "p95_ms < 20",
                 "met": p95(times) < 0.020})


def section(records: list[dict], server: str) -> str:
    write, deliver, idle = records
    return f"""## Mail outbox

`python -m bench.mail` ({server}; aiosmtpd on the same machine):

| what | figure | target | met |
|---|---|---|---|
| `mail.send()` in an action's transaction ({WRITES} runs) | median {write['median_ms']} ms, p95 {write['p95_ms']} ms | p95 < 10 ms | {write['met']} |
| {BATCH} mails delivered after one commit (one SMTP session) | {deliver['seconds']} s, {deliver['per_second']}/s, {deliver['received']} received | > 200/s | {deliver['met']} |
| scheduler mail pass, {WAITING:,} waiting, none due | median {idle['median_ms']} ms, p95 {idle['p95_ms']} ms | p95 < 20 ms | {idle['met']} |

A send is four database round trips (the sender name from branding, the workspace's name
when branding has none, the footer, the insert) plus building the MIME message; on a
loaded machine the round trips dominate. The delivery figure is one SMTP session per
batch of 100 rows, each batch its own transaction.
"""


def main() -> None:
    url = bench_database_url(DATABASE)
    server = "DATABASE_URL server" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL"
    progress(f"resetting {DATABASE}")
    reset_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_TIME_COST": 1,
                      "PASSWORD_HASH_MEMORY_KIB": 8192, "TENANT_POOL_TARGET": 0,
                      "MAIL_SINK_DIR": tempfile.mkdtemp(prefix="kehu-bench-mail-")})
    with app.app_context():
        upgrade_public(db.engine)
        version = db.session.scalar(sa.text("SHOW server_version")).split()[0]
        tenant = provisioning.create_tenant(provisioning.NewTenant(
            slug="bench-mail", name="Bench Mail", admin_email="owner@bench-mail.example"))
        db.session.commit()
        db.session.refresh(tenant)
        db.session.expunge(tenant)
    records = [bench_write(app, tenant), bench_delivery(app, tenant), bench_idle_tick(app, tenant)]
    write_section("Mail outbox", section(records, f"{server} {version}"))
    progress(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
