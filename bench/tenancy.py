"""Tenancy benchmarks (`make bench`): provisioning, pooled sign-up, migrating, routing.

Prints one JSON object per benchmark on stdout, then rewrites the "Tenancy"
section of docs/PERFORMANCE.md. Runs against a real PostgreSQL: database
`kehu_bench` on the DATABASE_URL server, or the embedded server under
instance/pgdata-bench, with its default durable settings (every commit waits
for the disk, as in production). Benchmarks are not tests: a missed target is
reported, not failed.
"""
import contextlib
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psycopg2
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import ROOT, create_app
from app.extensions import db
from bench.common import DOC, bench_database_url, write_section
from tenants import migrating, provisioning
from tenants.ddl import tenant_ddl_script
from tenants.migrating import head_revision, migrate_schemas, schema_versions, upgrade_public
from tenants.models import Tenant

DATABASE = "kehu_bench"

PROVISION_RUNS = 50
CLAIMS = 50
MIGRATED_SCHEMAS = 200
MIGRATE_JOBS = 4
GUNICORN_ARGS = ["--workers", "2", "--threads", "4"]
CONCURRENCY = 8  # client threads: one per gunicorn thread
ROUNDS = 8
REQUESTS_PER_ROUND = 400
# Tenant routing may cost at most a tenth of a tiny page's throughput.
OVERHEAD_TARGET = 0.90

# The bench-only tenant migration: what a typical "add an indexed column" costs.
BENCH_REVISION = "bench_indexed_col"
BENCH_MIGRATION = '''"""bench only: add an indexed column"""
from alembic import op
import sqlalchemy as sa

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("bench_flag", sa.Integer()))
    op.create_index("ix_users_bench_flag", "users", ["bench_flag"])


def downgrade():
    op.drop_index("ix_users_bench_flag", "users")
    op.drop_column("users", "bench_flag")
'''


# ---------------------------------------------------------------- helpers

def timed(action) -> float:
    """Seconds action() took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile (no interpolation: a value that was measured)."""
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def emit(record: dict) -> dict:
    print(json.dumps(record, separators=(",", ":")), flush=True)
    return record


def progress(message: str) -> None:
    """Progress goes to stderr so stdout stays one JSON object per line."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- database

def reset_database(url: str) -> None:
    """Drop every schema a previous run left, one transaction each (a single
    transaction dropping hundreds of schemas would run out of lock slots)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        schemas = connection.execute(sa.text(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('information_schema', 'public')"
        )).scalars().all()
        connection.rollback()
        for schema in schemas:
            with connection.begin():
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        with connection.begin():
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def raw_connection(url: str):
    """A plain psycopg2 connection (autocommit: the script carries its own BEGIN/COMMIT)."""
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    connection = psycopg2.connect(*args, **kwargs)
    connection.autocommit = True
    return connection


# ---------------------------------------------------------------- provision

def new_spec(slug: str, password_hash: str | None = None) -> provisioning.NewTenant:
    return provisioning.NewTenant(slug=slug, name=slug.title(), admin_email=f"owner@{slug}.example",
                                  admin_password_hash=password_hash)


def provision_one(slug: str) -> None:
    """What `flask tenants create` without --password does (no password hash)."""
    provisioning.create_tenant(new_spec(slug))
    db.session.commit()


def bench_provision(app, url: str) -> dict:
    """create_tenant + commit against the bare DDL script in one raw transaction.

    The two alternate (A, B, A, B...) so that noise on the machine hits both
    alike; one untimed warm-up of each fills the caches and the connection pool.
    """
    script = tenant_ddl_script(app.extensions["tenant_schema"].metadata, head_revision("tenant"))
    script = script.replace("%%", "%")  # no parameters here, so no escaping either
    raw = raw_connection(url)

    def raw_ddl(schema: str) -> None:
        raw.cursor().execute(
            f'BEGIN; CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}"; {script} COMMIT;'
        )

    provision_one("bench-warm")
    raw_ddl("raw_warm")
    provision, bare = [], []
    for i in range(PROVISION_RUNS):
        provision.append(timed(lambda: provision_one(f"bench-p{i:03d}")))
        bare.append(timed(lambda: raw_ddl(f"raw_{i:03d}")))
    raw.close()
    median, raw_median = statistics.median(provision), statistics.median(bare)
    ratio = median / raw_median
    return {"bench": "provision", "tenants": PROVISION_RUNS, "median_s": round(median, 4),
            "p95_s": round(p95(provision), 4), "raw_ddl_median_s": round(raw_median, 4),
            "ratio": round(ratio, 3), "target": "ratio <= 1.3", "met": ratio <= 1.3}


# ---------------------------------------------------------------- sign-up from the pool

def bench_signup_from_pool() -> dict:
    """claim_pooled_tenant + commit; the password is hashed once beforehand
    (hashing is the sign-up form's cost, not the tenant assignment's)."""
    from app.auth.passwords import hash_password

    provisioning.fill_pool(CLAIMS)
    password_hash = hash_password("bench-password-123")
    claims = []
    for i in range(CLAIMS):
        spec = new_spec(f"bench-s{i:03d}", password_hash)
        claims.append(timed(lambda: (provisioning.claim_pooled_tenant(spec), db.session.commit())))
    worst = p95(claims)
    return {"bench": "signup_from_pool", "p95_s": round(worst, 4), "claims": CLAIMS,
            "median_s": round(statistics.median(claims), 4), "target": "p95_s < 0.05",
            "met": worst < 0.05}


# ---------------------------------------------------------------- migrate all

@contextlib.contextmanager
def history_with_bench_migration():
    """The tenant history plus one bench-only revision, in a temp copy.

    migrations/tenant/versions is never touched: tenants.migrating is pointed
    at the copy and its caches are cleared (forked workers inherit both).
    """
    original = migrating.MIGRATIONS_DIR
    with tempfile.TemporaryDirectory(prefix="kehu-bench-migrations-") as tmp:
        copy = Path(tmp) / "tenant"
        shutil.copytree(original / "tenant", copy, ignore=shutil.ignore_patterns("__pycache__"))
        (copy / "versions" / f"{BENCH_REVISION}.py").write_text(BENCH_MIGRATION.format(
            revision=BENCH_REVISION, down_revision=head_revision("tenant")))
        try:
            _point_migrations_at(Path(tmp))
            yield head_revision("tenant")
        finally:
            _point_migrations_at(original)


def _point_migrations_at(directory: Path) -> None:
    migrating.MIGRATIONS_DIR = directory
    migrating.alembic_config.cache_clear()
    migrating.script_directory.cache_clear()


def bench_migrate_all(url: str) -> dict:
    """The bench migration on 200 pooled schemas, the way `flask tenants migrate` runs it."""
    provisioning.fill_pool(MIGRATED_SCHEMAS)
    schemas = list(db.session.scalars(sa.select(Tenant.schema_name).where(Tenant.status == "pooled")))
    with history_with_bench_migration() as head:
        versions = schema_versions(db.session.connection(), schemas)
        db.session.rollback()
        pending = [name for name in schemas if versions[name] != head]
        start = time.perf_counter()
        results = migrate_schemas(url, pending, jobs=MIGRATE_JOBS)
        wall = time.perf_counter() - start
        failed = [result for result in results if not result.ok]
        if failed or len(pending) != MIGRATED_SCHEMAS:
            raise RuntimeError(f"migrate_all: {len(pending)} pending, failures: {failed[:3]}")
    per_tenant_ms = wall / MIGRATED_SCHEMAS * 1000
    return {"bench": "migrate_all", "tenants": MIGRATED_SCHEMAS,
            "per_tenant_ms": round(per_tenant_ms, 2), "wall_s": round(wall, 2),
            "jobs": MIGRATE_JOBS, "target": "per_tenant_ms <= 12", "met": per_tenant_ms <= 12}


# ---------------------------------------------------------------- tenancy overhead

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn_on(url: str, log_dir: Path, app_path: str, extra_env: dict | None = None,
                ready_path: str = "/healthz", extra_args: tuple = ()):
    """A gunicorn serving app_path; yields its port; always stopped."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "TENANT_POOL_TARGET": "0", **(extra_env or {})}
    log = open(log_dir / f"gunicorn-{port}.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), *GUNICORN_ARGS, *extra_args,
         "--bind", f"127.0.0.1:{port}", app_path],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_until_up(port, process, log_dir / f"gunicorn-{port}.log", ready_path)
        yield port
    finally:
        stop(process)
        log.close()


def gunicorn(url: str, schema: str, log_dir: Path):
    """A gunicorn serving bench/overhead_app.py; yields its port; always stopped."""
    return gunicorn_on(url, log_dir, "bench.overhead_app:app", {"KEHU_BENCH_SCHEMA": schema},
                       "/bench-plain")


def wait_until_up(port: int, process, log_path: Path, ready_path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
        try:
            if get(port, ready_path) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()}")


def stop(process) -> None:
    """SIGTERM to the master (it stops its workers); if it hangs, SIGKILL its process
    group, which is this gunicorn alone (started with start_new_session)."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def requests_per_second(port: int, path: str, total: int) -> float:
    """`total` GETs from CONCURRENCY threads, one keep-alive connection each."""
    per_thread = total // CONCURRENCY
    errors = []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            for _ in range(per_thread):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
        except Exception as exc:  # reported below; a failed round must not pass silently
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} failed requests, e.g. {errors[0]}")
    return per_thread * CONCURRENCY / elapsed


def bench_tenancy_overhead(url: str, tenant: Tenant) -> dict:
    """The same page with and without tenant routing, two identical gunicorns, alternating rounds."""
    tenant_path, plain_path = f"/t/{tenant.slug}/bench", "/bench-plain"
    with tempfile.TemporaryDirectory(prefix="kehu-bench-gunicorn-") as logs, contextlib.ExitStack() as stack:
        routed_port = stack.enter_context(gunicorn(url, tenant.schema_name, Path(logs)))
        plain_port = stack.enter_context(gunicorn(url, tenant.schema_name, Path(logs)))
        for port, path in ((routed_port, tenant_path), (plain_port, plain_path)):
            requests_per_second(port, path, REQUESTS_PER_ROUND // 2)  # warm-up
        routed, plain = [], []
        for _ in range(ROUNDS):
            routed.append(requests_per_second(routed_port, tenant_path, REQUESTS_PER_ROUND))
            plain.append(requests_per_second(plain_port, plain_path, REQUESTS_PER_ROUND))
            progress(f"  round: tenant {routed[-1]:.0f} rps, plain {plain[-1]:.0f} rps")
    rps_tenant, rps_plain = statistics.median(routed), statistics.median(plain)
    ratio = rps_tenant / rps_plain
    return {"bench": "tenancy_overhead", "rps_tenant": round(rps_tenant, 1),
            "rps_plain": round(rps_plain, 1), "ratio": round(ratio, 3),
            "concurrency": CONCURRENCY, "requests_per_route": ROUNDS * REQUESTS_PER_ROUND,
            "target": f"ratio >= {OVERHEAD_TARGET}", "met": ratio >= OVERHEAD_TARGET}


# ---------------------------------------------------------------- docs/PERFORMANCE.md

def tenancy_section(records: dict, server: str) -> str:
    provision, signup = records["provision"], records["signup_from_pool"]
    migrate, overhead = records["migrate_all"], records["tenancy_overhead"]

    def met(record):
        return "yes" if record["met"] else "**no**"

    return f"""## Tenancy

Last run {date.today().isoformat()} by `python -m bench.tenancy` ({os.cpu_count()} cores,
{server}, default durable settings: every commit waits for the disk).
Absolute times move with whatever else the machine is doing; the ratios come
from runs interleaved in one go and are the figures to compare between runs.

| Benchmark | Figure | Target | Met |
|---|---|---|---|
| provision: `create_tenant` + commit, {provision['tenants']} tenants | median {provision['median_s'] * 1000:.1f} ms, p95 {provision['p95_s'] * 1000:.1f} ms; same DDL as one raw transaction: median {provision['raw_ddl_median_s'] * 1000:.1f} ms; ratio {provision['ratio']:.2f} | ratio ≤ 1.3 | {met(provision)} |
| signup_from_pool: `claim_pooled_tenant` + commit, {signup['claims']} claims | p95 {signup['p95_s'] * 1000:.1f} ms (median {signup['median_s'] * 1000:.1f} ms) | p95 < 50 ms | {met(signup)} |
| migrate_all: "add an indexed column" on {migrate['tenants']} schemas, {migrate['jobs']} jobs | {migrate['per_tenant_ms']:.1f} ms per tenant ({migrate['wall_s']:.1f} s wall) | ≤ 12 ms per tenant | {met(migrate)} |
| tenancy_overhead: same page, tenant-routed vs plain, concurrency {overhead['concurrency']} | {overhead['rps_tenant']:.0f} vs {overhead['rps_plain']:.0f} requests/s; ratio {overhead['ratio']:.2f} | ratio ≥ {OVERHEAD_TARGET:.2f} | {met(overhead)} |

* **provision** times what `flask tenants create` without `--password` does:
  registry row, schema, tables, seed rows, admin user, commit. The raw figure
  is the DDL script alone (`BEGIN; CREATE SCHEMA; SET LOCAL search_path;
  <script>; COMMIT` over plain psycopg2). The two alternate run by run.
* **signup_from_pool** times the tenant assignment of a sign-up: claim a warm
  schema, rename it, seed it, create the admin, commit. The admin's password
  hash is computed once beforehand: hashing is part of the sign-up form
  (argon2, deliberately slow), not of the tenant assignment.
* **migrate_all** is wall time / schemas for `tenants.migrating.migrate_schemas`
  (worker processes, one transaction per schema) applying a bench-only
  revision (`ADD COLUMN` + `CREATE INDEX` on `users`) kept in a temporary copy
  of the tenant history.
* **tenancy_overhead** serves one tiny page (user count + pipeline stage
  names) from two identical gunicorns (`{' '.join(GUNICORN_ARGS)}`, loopback):
  under `/t/<slug>/` with the normal tenant resolution, and from a route that
  queries the same tenant's schema-qualified tables on a bare pooled
  connection. The client (Python threads with keep-alive, on the same
  machine) alternates {ROUNDS} rounds of {REQUESTS_PER_ROUND} requests; the
  medians are shown. Tenant routing is one statement after `BEGIN` (the
  registry row read in the request's own transaction, its schema set as it is
  read: `tenants.context.enter_workspace`). That statement is also the check
  that the pooled connection is alive, so the routed page skips the pool's ping
  (`app.database.ping_on_checkout`) and makes as many round trips as the plain
  one: `BEGIN`, registry, two queries, `COMMIT` against ping, `BEGIN`, two
  queries, `ROLLBACK` (it used to ping as well: ratio 0.74 on 2026-12-03).
  It used to be three statements and an ORM load (ratio 0.56 in 2026-11):
  `SET LOCAL search_path TO ''`, the `Tenant` row through the ORM, then
  `SET LOCAL search_path TO "<schema>"`; a profile put half the routed
  request's time in those. There is no registry cache, so nothing can be
  stale: a suspension or drop committed anywhere is seen by the next request
  (`tests/tenants/test_resolution.py`).
"""


# ---------------------------------------------------------------- main

def main() -> None:
    url = bench_database_url(DATABASE)
    server = "DATABASE_URL server" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL"
    progress(f"resetting {DATABASE}")
    reset_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_TIME_COST": 1,
                      "PASSWORD_HASH_MEMORY_KIB": 8192, "TENANT_POOL_TARGET": 0})
    records = {}
    with app.app_context():
        upgrade_public(db.engine)
        version = db.session.scalar(sa.text("SHOW server_version")).split()[0]
        db.session.rollback()
        progress("provision")
        records["provision"] = emit(bench_provision(app, url))
        progress("signup_from_pool")
        records["signup_from_pool"] = emit(bench_signup_from_pool())
        progress("migrate_all")
        records["migrate_all"] = emit(bench_migrate_all(url))
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "bench-p000")).one()
        db.session.expunge(tenant)
        db.session.rollback()
        db.engine.dispose()
    progress("tenancy_overhead")
    records["tenancy_overhead"] = emit(bench_tenancy_overhead(url, tenant))
    write_section("Tenancy", tenancy_section(records, f"{server} {version}"))
    progress(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
