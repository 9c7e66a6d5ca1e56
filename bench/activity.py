"""Activity benchmarks: a customer's 360 rolling up the activity of every record beneath it,
filtered to what the reader may see, and one record's own activity.

One tenant with 2,000 customers and 200,000 timeline entries; 20 measured customers each
have 5 contacts and 10 deals (half of them another rep's), and 500 entries spread over
the customer, its contacts and its deals. The measured rep owns those customers and sees
only his own deals, so the 360 filter has work to do. Run: `python -m bench.activity`.
"""
import os
import random
import time
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from bench.common import bench_database_url, write_section
from bench.customers import PASSWORD, QueryCounter, add_reps, login, measure, new_tenant
from bench.tenancy import emit, progress, reset_database
from tenants.context import tenant_scope
from tenants.migrating import upgrade_public

DATABASE = "kehu_bench_activity"
SLUG = "bench-activity"
CUSTOMERS, MEASURED, CONTACTS_EACH, DEALS_EACH = 2_000, 20, 5, 10
ENTRIES_EACH, BACKGROUND_ENTRIES = 500, 200_000
TARGET_MS = 100


def fill(rep_ids: list[int]) -> list[dict]:
    from app.contacts.models import Contact
    from app.customers.models import Customer
    from app.opportunities.models import Opportunity
    from app.sales.models import PipelineStage
    from app.timeline.models import TimelineEntry

    rng = random.Random(20261203)
    rep, other = rep_ids[0], rep_ids[1]
    stage_id = db.session.scalar(sa.select(PipelineStage.id).order_by(PipelineStage.position))
    customers = [Customer(code=f"A{i:05d}", name=f"客户 {i}", kind="company", type="customer",
                          currency="CNY", tags=[], custom={}, sales_volume=0,
                          owner_id=rep if i < MEASURED else rng.choice(rep_ids))
                 for i in range(CUSTOMERS)]
    db.session.add_all(customers)
    db.session.flush()
    measured = []
    for customer in customers[:MEASURED]:
        contacts = [Contact(customer_id=customer.id, name=f"联系人 {n}", custom={},
                            owner_id=rep) for n in range(CONTACTS_EACH)]
        deals = [Opportunity(customer_id=customer.id, name=f"Deal {n}", stage_id=stage_id,
                             amount=1000, currency="CNY", probability=10, custom={},
                             owner_id=rep if n % 2 == 0 else other) for n in range(DEALS_EACH)]
        db.session.add_all(contacts + deals)
        db.session.flush()
        subjects = ([("customer", customer.id)] + [("contact", c.id) for c in contacts]
                    + [("opportunity", d.id) for d in deals])
        measured.append({"customer_id": customer.id, "deal_id": deals[0].id,
                         "subjects": subjects})
    db.session.commit()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = []
    for item in measured:
        for n in range(ENTRIES_EACH):
            kind, record_id = rng.choice(item["subjects"])
            rows.append({"customer_id": item["customer_id"], "kind": "note",
                         "title": f"Entry {n}", "subject_type": kind, "subject_id": record_id,
                         "occurred_at": start + timedelta(minutes=rng.randint(0, 400_000))})
    for n in range(BACKGROUND_ENTRIES):
        customer = customers[rng.randrange(MEASURED, CUSTOMERS)]
        rows.append({"customer_id": customer.id, "kind": "call", "title": f"Call {n}",
                     "subject_type": "customer", "subject_id": customer.id,
                     "occurred_at": start + timedelta(minutes=rng.randint(0, 400_000))})
    for offset in range(0, len(rows), 10_000):
        db.session.execute(sa.insert(TimelineEntry), rows[offset:offset + 10_000])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return measured


def main() -> None:
    from app.auth.passwords import hash_password

    url = bench_database_url(DATABASE)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_TIME_COST": 1,
                      "PASSWORD_HASH_MEMORY_KIB": 8192, "TENANT_POOL_TARGET": 0,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    progress(f"resetting {DATABASE} and generating the data")
    reset_database(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade_public(db.engine)
        tenant = new_tenant(SLUG, "Activity Bench", hash_password(PASSWORD))
        db.session.refresh(tenant)
        db.session.expunge(tenant)
        rep_ids = add_reps(tenant, 2, hash_password(PASSWORD))
        with tenant_scope(tenant):
            measured = fill(rep_ids)
            plans = roll_up_plans(measured, rep_ids[0])
        counter = QueryCounter(db.engine)
    progress(f"  loaded in {time.perf_counter() - started:.0f} s")
    load_at_start = os.getloadavg()[0]
    records = []
    customers = [f"/t/{SLUG}/customers/{m['customer_id']}" for m in measured]
    deals = [f"/t/{SLUG}/opportunities/{m['deal_id']}" for m in measured]
    for role, email in (("owner", f"owner@{SLUG}.example"),
                        ("sales_rep", f"rep000@{SLUG}.example")):
        client = login(app, SLUG, email)
        for bench, urls in (("customer_360_activity", customers), ("deal_activity", deals)):
            progress(f"{bench} as {role}")
            figures = measure(client, counter, urls)
            records.append(emit({"bench": bench, "role": role, **figures,
                                 "target_ms": TARGET_MS, "met": figures["p95_ms"] < TARGET_MS}))
    write_section("Activity", section(records, plans, (load_at_start, os.getloadavg()[0])))


def roll_up_plans(measured: list[dict], rep_id: int) -> dict:
    """The 360 roll-up query alone, as PostgreSQL runs it (EXPLAIN ANALYZE, median of the
    measured customers): what the query costs, whatever else the machine is doing."""
    from app.auth.models import User
    from app.timeline.services import PAGE_SIZE, subjects_visible_to
    from app.timeline.models import TimelineEntry

    plans = {}
    for role, user in (("owner", db.session.scalars(sa.select(User).order_by(User.id)).first()),
                       ("sales_rep", db.session.get(User, rep_id))):
        times = []
        for item in measured:
            query = (sa.select(TimelineEntry)
                     .where(TimelineEntry.customer_id == item["customer_id"],
                            subjects_visible_to(user))
                     .order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc())
                     .limit(PAGE_SIZE))
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            plan = db.session.execute(sa.text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)).scalar()
            times.append(plan[0]["Execution Time"])
        plans[role] = round(sorted(times)[len(times) // 2], 2)
    db.session.rollback()
    return plans


def section(records: list[dict], plans: dict, load: tuple[float, float]) -> str:
    names = {"customer_360_activity": "360 page, 50 of 500 entries on 16 records",
             "deal_activity": "deal page and its activity"}
    lines = [
        "## Activity", "",
        f"Last run {datetime.now(timezone.utc):%Y-%m-%d} by `python -m bench.activity` "
        f"(2 cores, shared; 1-minute load {load[0]:.1f} at the start, {load[1]:.1f} at the "
        f"end). One tenant, {CUSTOMERS:,} customers, {BACKGROUND_ENTRIES:,} timeline entries "
        f"on other customers; each of the {MEASURED} measured customers has {CONTACTS_EACH} "
        f"contacts, {DEALS_EACH} deals (half another rep's) and {ENTRIES_EACH} entries spread "
        "over them. The rep owns the customers and sees half the deals: the 360 leaves the "
        "others' entries out in its query. Server time (Flask test client), 100 requests "
        "after 5 untimed.", "",
        "| Benchmark | User | p50 | p95 | SQL statements, SQL time (p50) | Target (p95) | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in records:
        lines.append(f"| {names[r['bench']]} | {r['role']} | {r['p50_ms']} ms | {r['p95_ms']} ms "
                     f"| {r['queries']}, {r['sql_p50_ms']} ms | < {r['target_ms']} ms "
                     f"| {'yes' if r['met'] else 'no'} |")
    lines += ["", "The roll-up query alone (EXPLAIN ANALYZE, median over the measured customers): "
              + ", ".join(f"{role} {ms} ms" for role, ms in plans.items())
              + ". It reads the customer's newest entries backwards on ix_timeline_customer_time"
              " and checks each entry's record by primary key. A load far above the two cores"
              " inflates the page times above; the query time is what the 360 roll-up adds."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
