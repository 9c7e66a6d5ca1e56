"""Visibility benchmark: what teams and shares cost the customer list at 100,000 customers.

One tenant with 100,000 customers owned by 100 sales reps spread over a unit tree
(head office → 4 regions → 20 stores), 3,000 team memberships and 200 shares with
units. Each figure is the customer list (page 1, newest first, and by name) as
answered by the app through the Flask test client, for a rep ("own" visibility,
on about 30 teams) and a regional sales manager ("unit_tree"), measured in one run
with and without the team and share conditions in visible_to (without = the
condition before teams existed), alternating request by request so both see the same
machine. The ratio with/without is the cost of teams.

Prints one JSON object per figure on stdout and rewrites the "Visibility" section of
docs/PERFORMANCE.md. Database `kehu_bench_visibility` (DATABASE_URL server or the
embedded one); the data is generated once and kept. Not a test: nothing fails.
"""
import os
import statistics
import time

import sqlalchemy as sa
from sqlalchemy import event

from app import ROOT, create_app
from app.access import visibility
from app.extensions import db
from bench.common import DOC, bench_database_url, write_section
from bench.tenancy import emit, progress, raw_connection, reset_database
from tenants import provisioning
from tenants.context import tenant_scope
from tenants.migrating import upgrade_public
from tenants.models import Tenant

DATABASE = "kehu_bench_visibility"
DATA_VERSION = "kehu bench visibility data v3"
SLUG = "bench-vis"
PASSWORD = "bench-password-123"
CUSTOMERS, REPS, REGIONS, STORES_PER_REGION = 100_000, 100, 4, 5
TEAM_ROWS, SHARES = 3_000, 200
TEAM_REPS = 50  # the first 50 reps are on about 60 teams each; the others on none
SAMPLES, WARMUP = 60, 5
USERS = (("rep on teams", f"rep001@{SLUG}.example"), ("rep on no team", f"rep099@{SLUG}.example"),
         ("sales_manager", f"manager@{SLUG}.example"))


def add_org(tenant, password_hash: str) -> None:
    """HQ → regions → stores; reps round-robin over the stores; a manager of Region 1."""
    from app.access.models import Role
    from app.auth.models import User
    from app.org.models import Unit, UnitManager

    with tenant_scope(tenant):
        roles = dict(db.session.execute(sa.select(Role.key, Role.id)).all())
        head = Unit(name="HQ", kind="head_office")
        db.session.add(head)
        db.session.flush()
        stores, regions = [], []
        for r in range(1, REGIONS + 1):
            region = Unit(name=f"Region {r}", kind="region", parent_id=head.id)
            db.session.add(region)
            db.session.flush()
            regions.append(region)
            for n in range(1, STORES_PER_REGION + 1):
                store = Unit(name=f"Region {r} store {n}", kind="store", parent_id=region.id)
                db.session.add(store)
                stores.append(store)
        db.session.flush()
        db.session.add_all([User(email=f"rep{i:03d}@{SLUG}.example", name=f"Rep {i}",
                                 password_hash=password_hash, role_id=roles["sales_rep"],
                                 unit_id=stores[i % len(stores)].id) for i in range(REPS)])
        manager = User(email=f"manager@{SLUG}.example", name="Manager",
                       password_hash=password_hash, role_id=roles["sales_manager"],
                       unit_id=regions[0].id)
        db.session.add(manager)
        db.session.flush()
        db.session.add(UnitManager(unit_id=regions[0].id, user_id=manager.id))
        db.session.commit()


def load(app, url: str) -> None:
    from app.auth.passwords import hash_password

    progress(f"resetting {DATABASE} and generating the data (once; later runs reuse it)")
    reset_database(url)
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        upgrade_public(db.engine)
        tenant = provisioning.create_tenant(provisioning.NewTenant(
            slug=SLUG, name="Visibility bench", admin_email=f"owner@{SLUG}.example",
            admin_name="Owner", admin_password_hash=password_hash))
        db.session.commit()
        schema = tenant.schema_name
        add_org(tenant, password_hash)
        db.engine.dispose()
    raw = raw_connection(url)
    cursor = raw.cursor()
    cursor.execute(f'SET search_path TO "{schema}"')
    cursor.execute("BEGIN")
    cursor.execute(
        "INSERT INTO customers (code, name, kind, type, currency, tier_is_manual, sales_volume, "
        "tags, custom, owner_id, unit_id, created_at) "
        "SELECT 'V' || lpad(g::text, 6, '0'), 'Customer ' || md5(g::text), 'company', 'customer', "
        "'CNY', false, 0, '{}', '{}', u.id, u.unit_id, now() - g * interval '1 minute' "
        "FROM generate_series(1, %s) g "
        "JOIN (SELECT id, unit_id, row_number() OVER (ORDER BY id) - 1 AS n FROM users "
        "      WHERE email LIKE 'rep%%') u ON u.n = g %% %s",
        (CUSTOMERS, REPS))
    cursor.execute(
        "INSERT INTO record_team_members (record_type, record_id, user_id, role) "
        "SELECT DISTINCT ON (c, u) 'customer', c, u, 'support' FROM ("
        "  SELECT 1 + (hashint4(g) & 2147483647) %% %s AS c, "
        "         (SELECT id FROM users WHERE email LIKE 'rep%%' ORDER BY id "
        "          OFFSET (g %% %s) LIMIT 1) AS u FROM generate_series(1, %s) g) t",
        (CUSTOMERS, TEAM_REPS, TEAM_ROWS))
    cursor.execute(
        "INSERT INTO record_shares (record_type, record_id, unit_id, access) "
        "SELECT DISTINCT ON (c, unit) 'customer', c, unit, 'read' FROM ("
        "  SELECT 1 + (hashint4(g + 7) & 2147483647) %% %s AS c, "
        "         (SELECT id FROM units WHERE kind = 'store' ORDER BY id OFFSET (g %% 10) LIMIT 1) "
        "         AS unit "
        "  FROM generate_series(1, %s) g) t", (CUSTOMERS, SHARES))
    cursor.execute("COMMIT")
    cursor.execute("VACUUM (ANALYZE)")
    cursor.execute(f'COMMENT ON SCHEMA "{schema}" IS %s', (DATA_VERSION,))
    raw.close()


def loaded(url: str) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            schema = connection.execute(sa.text(
                "SELECT schema_name FROM public.tenants WHERE slug = :s"), {"s": SLUG}).scalar()
            return schema is not None and connection.execute(sa.text(
                "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace "
                "WHERE nspname = :s"), {"s": schema}).scalar() == DATA_VERSION
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def login(app, email: str):
    client = app.test_client()
    response = client.post(f"/t/{SLUG}/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"cannot log in as {email}: {response.status_code}")
    return client


class SqlClock:
    """Time spent waiting for SQL statements and how many were sent."""

    def __init__(self, engine):
        self.seconds, self.count, self._started = 0.0, 0, 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args):
        self.count += 1
        self._started = time.perf_counter()

    def _after(self, *_args):
        self.seconds += time.perf_counter() - self._started


def _get(client, clock: SqlClock, url: str) -> tuple[float, float, int]:
    sql_before, count_before = clock.seconds, clock.count
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code}")
    return elapsed, (clock.seconds - sql_before) * 1000, clock.count - count_before


def compare(client, clock: SqlClock, url: str) -> dict:
    """Median and p95 with and without teams, alternating request by request."""
    registered = dict(visibility._REACHED_THROUGH)
    times = {"with": [], "without": []}
    sql = {"with": [], "without": []}
    statements = {}
    for n in range(WARMUP + SAMPLES):
        for variant in ("without", "with"):
            if variant == "without":
                visibility._REACHED_THROUGH.pop("customers", None)
            else:
                visibility._REACHED_THROUGH.update(registered)
            elapsed, sql_ms, count = _get(client, clock, url)
            if n >= WARMUP:
                times[variant].append(elapsed)
                sql[variant].append(sql_ms)
                statements[variant] = count
    visibility._REACHED_THROUGH.update(registered)
    figures = {}
    for variant, samples in times.items():
        ordered = sorted(samples)
        figures[f"{variant}_p50_ms"] = round(statistics.median(samples), 1)
        figures[f"{variant}_p95_ms"] = round(ordered[int(0.95 * len(ordered)) - 1], 1)
        figures[f"{variant}_sql_p50_ms"] = round(statistics.median(sql[variant]), 1)
        figures[f"{variant}_statements"] = statements[variant]
    figures["ratio_p50"] = round(figures["with_p50_ms"] / figures["without_p50_ms"], 2)
    return figures


def visible_counts(app, tenant) -> dict:
    from app.auth.models import User
    from app.customers.models import Customer

    counts = {}
    with app.test_request_context(), tenant_scope(tenant):
        for who, email in USERS:
            user = db.session.scalars(sa.select(User).where(User.email == email)).one()
            count = sa.select(sa.func.count()).select_from(Customer)
            counts[who] = {
                "visible": db.session.scalar(count.where(visibility.visible_to(user, Customer))),
                "teams": db.session.scalar(sa.text(
                    "SELECT count(*) FROM record_team_members WHERE user_id = :u"), {"u": user.id}),
            }
        db.session.rollback()
    return counts


def section(records: list[dict], server: str, load: tuple[float, float]) -> str:
    rows = "\n".join(
        f"| {r['role']} | {r['sort']} | {r['visible']:,} | {r['without_p50_ms']} / "
        f"{r['without_p95_ms']} | {r['with_p50_ms']} / {r['with_p95_ms']} | {r['ratio_p50']} | "
        f"{r['without_statements']}, {r['without_sql_p50_ms']} → {r['with_statements']}, "
        f"{r['with_sql_p50_ms']} |"
        for r in records)
    return f"""## Visibility

`python -m bench.visibility` ({server}): the customer list (page 1 of 50) through the
app at {CUSTOMERS:,} customers, {REPS} reps over 20 stores in 4 regions, {TEAM_ROWS:,}
team memberships (held by {TEAM_REPS} of the reps) and {SHARES} shares with units;
{SAMPLES} requests per figure,
"without" (visible_to as before teams) and "with" alternating request by request.
The shares go to the 10 stores of regions 1 and 2. The reps have "own" visibility:
one is on about 60 teams in a store of region 1 (about 20 shares reach it), the
other on no team in a store of region 4 (no share reaches it); the manager has
"unit_tree" over region 1 (a quarter of the customers; about 100 shares).

Load average of the machine during the run: {load[0]:.1f} at the start, {load[1]:.1f} at
the end (2 cores; other work was running, so absolute times are several times those
of a quiet machine: compare the ratio, measured under the same load).

| user | sort | visible rows | without teams p50 / p95 ms | with teams p50 / p95 ms | ratio (p50) | SQL statements, SQL ms (p50): without → with |
|---|---|---|---|---|---|---|
{rows}

visible_to reads the ids of the records opened to the user by teams and shares
once per request (one query on the `(user_id, record_type, record_id)` and
`(unit_id, record_type, record_id)` indexes) and adds them to the WHERE as
constants: `owner_id = :me OR id IN (…)`. A user on no team and in no shared unit
gets exactly the query of before.
"""


def main() -> None:
    url = bench_database_url(DATABASE)
    server = "DATABASE_URL server" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_TIME_COST": 1,
                      "PASSWORD_HASH_MEMORY_KIB": 8192, "TENANT_POOL_TARGET": 0,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    if loaded(url):
        progress(f"reusing the data in {DATABASE}")
    else:
        load(app, url)
    with app.app_context():
        version = db.session.scalar(sa.text("SHOW server_version")).split()[0]
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == SLUG)).one()
        db.session.expunge(tenant)
        db.session.rollback()
    counts = visible_counts(app, tenant)
    with app.app_context():
        clock = SqlClock(db.engine)
    load_at_start = os.getloadavg()[0]
    records = []
    for role, email in USERS:
        client = login(app, email)
        for sort in ("-created", "name"):
            progress(f"customer list as {role}, sort {sort}")
            figures = compare(client, clock, f"/t/{SLUG}/customers/?sort={sort}")
            records.append(emit({"bench": "customer_list_teams", "role": role, "sort": sort,
                                 **counts[role], **figures}))
    load = (load_at_start, os.getloadavg()[0])
    write_section("Visibility", section(records, f"{server} {version}", load))
    progress(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
