"""Many tenant schemas on one PostgreSQL (`make bench-scale`): what grows, what breaks first.

    python -m bench.scale [--tenants 5000] [--budget-s 1800]

Two databases on the same server: `kehu_scale` gets up to --tenants schemas
(building stops when --budget-s is spent, and the run says how many it built),
`kehu_scale_small` gets 10. The same 10 active tenants' dashboards are then
requested from both, alternating request by request, so the p50 ratio
compares like with like on a busy machine. Then: migrate-all wall time (a
bench-only revision on every schema), one tenant's backup and restore, and
the catalog's size. One JSON object per measurement on stdout; the figures
replace the "Measured" section of docs/SCALING.md. Not a test: a missed
target is reported, never failed.
"""
import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from bench.common import ROOT, bench_database_url, write_section
from bench.tenancy import emit, history_with_bench_migration, new_spec, progress, reset_database
from tenants import backup, provisioning
from tenants.migrating import migrate_schemas, schema_versions, upgrade_public
from tenants.models import Tenant

ACTIVE = 10  # tenants with a logged-in user, in both databases
REQUESTS = 400  # per database, alternating
RATIO_TARGET = 1.15
PASSWORD = "bench-password-123"
SCALING = ROOT / "docs" / "SCALING.md"


def make_app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_TIME_COST": 1,
                       "PASSWORD_HASH_MEMORY_KIB": 8192, "TENANT_POOL_TARGET": 0,
                       "RATELIMIT_ENABLED": False, "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "UPLOAD_DIR": tempfile.mkdtemp(prefix="kehu-scale-uploads-")})


def build(app, total: int, budget_s: float) -> dict:
    """`total` schemas: ACTIVE claimed tenants, the rest pooled; stops at the budget."""
    from app.auth.passwords import hash_password

    start, built, first_100 = time.perf_counter(), 0, None
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        for i in range(ACTIVE):
            provisioning.claim_pooled_tenant(new_spec(f"scale-{i:02d}", password_hash))
            db.session.commit()
            built += 1
        while built < total and time.perf_counter() - start < budget_s:
            provisioning.build_pooled_schema()
            db.session.commit()
            built += 1
            if built == 100:
                first_100 = time.perf_counter() - start
            if built % 250 == 0:
                progress(f"  {built} schemas, {time.perf_counter() - start:.0f} s")
    wall = time.perf_counter() - start
    return {"bench": "build_schemas", "wanted": total, "built": built, "wall_s": round(wall, 1),
            "per_schema_ms": round(wall / built * 1000, 1),
            "first_100_s": round(first_100, 1) if first_100 else None}


def logged_in_clients(app) -> list:
    clients = []
    for i in range(ACTIVE):
        client = app.test_client()
        slug = f"scale-{i:02d}"
        response = client.post(f"/t/{slug}/login",
                               data={"email": f"owner@{slug}.example", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        clients.append((slug, client))
    return clients


def request_ratio(big_app, small_app, tenants: int) -> dict:
    """The dashboard of the same 10 tenants from both databases, alternating."""
    big, small = logged_in_clients(big_app), logged_in_clients(small_app)

    def timed_get(pair) -> float:
        slug, client = pair
        start = time.perf_counter()
        response = client.get(f"/t/{slug}/")
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - start

    for i in range(50):  # warm-up: caches, pools
        timed_get(big[i % ACTIVE]), timed_get(small[i % ACTIVE])
    times_big, times_small = [], []
    for i in range(REQUESTS):
        times_big.append(timed_get(big[i % ACTIVE]))
        times_small.append(timed_get(small[i % ACTIVE]))
    p50_big, p50_small = statistics.median(times_big), statistics.median(times_small)
    ratio = p50_big / p50_small
    return {"bench": "request_p50", "tenants": tenants, "p50_ms": round(p50_big * 1000, 2),
            "p50_10_tenants_ms": round(p50_small * 1000, 2), "ratio": round(ratio, 3),
            "target": f"ratio <= {RATIO_TARGET}", "met": ratio <= RATIO_TARGET}


def migrate_all(app, url: str) -> dict:
    with app.app_context():
        schemas = list(db.session.scalars(sa.select(Tenant.schema_name)))
        with history_with_bench_migration() as head:
            versions = schema_versions(db.session.connection(), schemas)
            db.session.rollback()
            pending = [name for name in schemas if versions[name] != head]
            start = time.perf_counter()
            results = migrate_schemas(url, pending, jobs=4)
            wall = time.perf_counter() - start
    failed = [r for r in results if not r.ok]
    return {"bench": "migrate_all", "schemas": len(pending), "wall_s": round(wall, 1),
            "per_schema_ms": round(wall / max(len(pending), 1) * 1000, 1), "failed": len(failed)}


def backup_restore(app) -> dict:
    with app.app_context(), tempfile.TemporaryDirectory() as tmp:
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "scale-00")).one()
        path = Path(tmp) / "backup.zip"
        start = time.perf_counter()
        backup.write_backup(tenant, path)
        backup_s = time.perf_counter() - start
        db.session.rollback()
        start = time.perf_counter()
        backup.restore_backup(path, "scale-restored")
        db.session.commit()
        restore_s = time.perf_counter() - start
    return {"bench": "backup_restore", "backup_s": round(backup_s, 3),
            "restore_s": round(restore_s, 3), "file_bytes": path.stat().st_size if path.exists() else None}


def catalog(app, tenants: int) -> dict:
    with app.app_context():
        row = db.session.execute(sa.text("""
            SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog'),
                   (SELECT count(*) FROM pg_class), pg_database_size(current_database())
        """)).one()
        db.session.rollback()
    return {"bench": "catalog", "tenants": tenants, "catalog_bytes": int(row[0]),
            "pg_class_rows": row[1], "database_bytes": int(row[2])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=5000)
    parser.add_argument("--budget-s", type=float, default=1800,
                        help="stop building schemas after this many seconds")
    args = parser.parse_args()
    big_url, small_url = bench_database_url("kehu_scale"), bench_database_url("kehu_scale_small")
    records = {}
    for url in (big_url, small_url):
        reset_database(url)
    big_app, small_app = make_app(big_url), make_app(small_url)
    for app in (big_app, small_app):
        with app.app_context():
            upgrade_public(db.engine)
    progress(f"building up to {args.tenants} schemas (budget {args.budget_s:.0f} s)")
    records["build"] = emit(build(big_app, args.tenants, args.budget_s))
    emit(build(small_app, ACTIVE, args.budget_s))
    tenants = records["build"]["built"]
    progress("catalog")
    records["catalog"] = emit(catalog(big_app, tenants))
    records["catalog_small"] = emit(catalog(small_app, ACTIVE))
    progress("request p50")
    records["request"] = emit(request_ratio(big_app, small_app, tenants))
    progress("backup and restore")
    records["backup"] = emit(backup_restore(big_app))
    progress("migrate all")
    records["migrate"] = emit(migrate_all(big_app, big_url))
    with big_app.app_context():
        version = db.session.scalar(sa.text("SHOW server_version")).split()[0]
    server = "DATABASE_URL server" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL"
    write_section("Measured", measured_section(records, args, f"{server} {version}"), SCALING)
    progress(f"wrote {SCALING.relative_to(ROOT)}")


def measured_section(records: dict, args, server: str) -> str:
    build, request, migrate = records["build"], records["request"], records["migrate"]
    big, small, backup_ = records["catalog"], records["catalog_small"], records["backup"]
    n = build["built"]
    per_tenant_catalog = (big["catalog_bytes"] - small["catalog_bytes"]) / max(n - ACTIVE, 1)
    per_tenant_classes = (big["pg_class_rows"] - small["pg_class_rows"]) / max(n - ACTIVE, 1)
    short = n < args.tenants
    note = (f"**Only {n:,} of the {args.tenants:,} schemas were built** within the "
            f"{args.budget_s:.0f} s budget on a shared, busy machine; figures for "
            f"{args.tenants:,} below are *extrapolated* linearly and marked so."
            if short else f"All {n:,} schemas were built.")
    scale = args.tenants / n
    return f"""## Measured

Last run {date.today().isoformat()} by `python -m bench.scale --tenants {args.tenants} --budget-s {args.budget_s:.0f}`
({os.cpu_count()} cores, {server}). {note}

| Measurement | With {n:,} tenant schemas | At {args.tenants:,} | Target | Met |
|---|---|---|---|---|
| build a schema (pooled: registry row, DDL, commit) | {build['per_schema_ms']:.0f} ms each; {build['wall_s']:.0f} s in all (first 100: {build['first_100_s']} s) | {'~' + format(build['per_schema_ms'] * args.tenants / 60000, '.0f') + ' min (extrapolated)' if short else format(build['wall_s'] / 60, '.0f') + ' min'} | – | – |
| request p50 (dashboard, same 10 tenants) vs a database with 10 tenants | {request['p50_ms']:.1f} ms vs {request['p50_10_tenants_ms']:.1f} ms: ratio {request['ratio']:.2f} | {'not measured' if short else format(request['ratio'], '.2f')} | ≤ {RATIO_TARGET} | {'yes' if request['met'] else '**no**'}{' (at ' + format(n, ',') + ')' if short else ''} |
| migrate all ("add an indexed column", 4 jobs) | {migrate['wall_s']:.0f} s wall, {migrate['per_schema_ms']:.1f} ms per schema, {migrate['failed']} failed | {'~' + format(migrate['per_schema_ms'] * args.tenants / 1000 / 60, '.1f') + ' min (extrapolated)' if short else format(migrate['wall_s'] / 60, '.1f') + ' min'} | – | – |
| one tenant's backup / restore (`flask tenants backup/restore`, a fresh tenant) | {backup_['backup_s']:.2f} s / {backup_['restore_s']:.2f} s | same (per tenant) | – | – |
| catalog (`pg_catalog` relations) | {big['catalog_bytes'] / 2**20:,.0f} MB, {big['pg_class_rows']:,} `pg_class` rows; {per_tenant_catalog / 1024:.0f} kB and {per_tenant_classes:.0f} relations per tenant | {'~' + format((small['catalog_bytes'] + per_tenant_catalog * args.tenants) / 2**20, ',.0f') + ' MB, ~' + format(int(per_tenant_classes * args.tenants), ',') + ' relations (extrapolated)' if short else format(big['catalog_bytes'] / 2**20, ',.0f') + ' MB'} | – | – |
| database size | {big['database_bytes'] / 2**20:,.0f} MB | {'~' + format(big['database_bytes'] * scale / 2**20, ',.0f') + ' MB (extrapolated)' if short else format(big['database_bytes'] / 2**20, ',.0f') + ' MB'} | – | – |
"""


if __name__ == "__main__":
    main()
