"""A mixed workload over 20 tenants (`make bench-load`): browse, search, create, quote.

    python -m bench.load [--minutes 10] [--users 40]

Builds database `kehu_load` (20 tenants, each with 200 customers and 2 products;
on the DATABASE_URL server or the embedded one under instance/pgdata-bench),
serves the real app with gunicorn (2 workers x 4 threads), and drives it with
locust (bench/locustfile.py, headless) for --minutes. One JSON object per
endpoint on stdout; the "Load" section of docs/PERFORMANCE.md gets requests,
errors and p50/p95 per endpoint. Not a test: errors are reported, not failed.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from bench.common import ROOT, bench_database_url, write_section
from bench.tenancy import GUNICORN_ARGS, emit, gunicorn_on, progress, reset_database
from tenants import provisioning
from tenants.context import tenant_scope
from tenants.migrating import upgrade_public

TENANTS = 20
CUSTOMERS = 200
PASSWORD = "bench-password-123"
# gunicorn closes an idle keep-alive connection after 2 s by default, while locust waits up
# to 2 s between tasks and then reuses it: the two race, and the request dies with
# "connection reset" (19 of 2,004 requests in a first run). Behind a proxy the proxy holds
# the client connections; here gunicorn is given a longer keep-alive than the client's pause.
GUNICORN_EXTRA = ("--keep-alive", "10")


def build(url: str) -> list[str]:
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.customers.services import create_customer
    from app.products.services import save_product

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TENANT_POOL_TARGET": 0})
    slugs = [f"load-{i:02d}" for i in range(TENANTS)]
    with app.app_context():
        upgrade_public(db.engine)
        password_hash = hash_password(PASSWORD)
        for slug in slugs:
            tenant = provisioning.create_tenant(provisioning.NewTenant(
                slug=slug, name=slug.title(), admin_email=f"owner@{slug}.example",
                admin_password_hash=password_hash, locale="en"))
            db.session.commit()
            with tenant_scope(tenant):
                owner = db.session.scalars(sa.select(User.id)).first()
                for i in range(CUSTOMERS):
                    word = ["家具", "Acme", "贸易", "Trading", "Steel", "木业"][i % 6]
                    create_customer({"name": f"{word} {i} 有限公司", "tier": None}, owner)
                for code in ("LOAD-1", "LOAD-2"):
                    save_product(None, {"code": code, "name": f"沙发 {code}",
                                        "tax_rate": Decimal("13"), "cost": None,
                                        "list_prices": {"CNY": Decimal("1000.00")}})
                db.session.commit()
            progress(f"  {slug} ready")
        db.engine.dispose()
    return slugs


def built_before(url: str) -> list[str] | None:
    """The tenants of an earlier run, when they are all there (the data is only read and
    added to, so a later run can reuse it; --rebuild starts afresh)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            slugs = connection.execute(sa.text(
                "SELECT slug FROM public.tenants WHERE slug LIKE 'load-%' ORDER BY slug")).scalars().all()
    except sa.exc.ProgrammingError:  # no registry yet
        return None
    finally:
        engine.dispose()
    return list(slugs) if len(slugs) == TENANTS else None


def run_locust(base_url: str, slugs: list[str], minutes: float, users: int, out: Path) -> Path:
    env = {**os.environ, "KEHU_LOAD_TENANTS": ",".join(slugs), "KEHU_LOAD_PASSWORD": PASSWORD}
    subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "--host", base_url, "--users", str(users),
                    "--spawn-rate", str(max(users // 10, 1)), "--run-time", f"{int(minutes * 60)}s",
                    "--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING"],
                   env=env, check=False, cwd=ROOT)
    return out / "load_stats.csv"


def read_stats(path: Path) -> list[dict]:
    rows = []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            rows.append({"bench": "load", "endpoint": row["Name"], "requests": int(row["Request Count"]),
                         "failures": int(row["Failure Count"]), "p50_ms": float(row["50%"] or 0),
                         "p95_ms": float(row["95%"] or 0), "rps": round(float(row["Requests/s"]), 2)})
    return rows


def section(rows: list[dict], minutes: float, users: int, server: str) -> str:
    total = next(r for r in rows if r["endpoint"] == "Aggregated")
    lines = "\n".join(f"| {r['endpoint']} | {r['requests']:,} | {r['failures']} | {r['p50_ms']:.0f} ms "
                      f"| {r['p95_ms']:.0f} ms |" for r in rows if r["endpoint"] != "Aggregated")
    short = "" if minutes >= 10 else (
        f" **This run lasted {minutes:g} minutes, not the default 10**: the machine was shared "
        "with other heavy work, so the run was shortened; run `make bench-load` for the full one.")
    return f"""## Load

Last run {date.today().isoformat()} by `python -m bench.load --minutes {minutes:g} --users {users}`
({os.cpu_count()} cores, {server}; gunicorn `{' '.join(GUNICORN_ARGS + list(GUNICORN_EXTRA))}`; locust on the same
machine).{short} {TENANTS} tenants with {CUSTOMERS} customers each; {users} simulated staff
(each logged in to one tenant, 0.5–2 s between tasks) browse (dashboard, customer list,
a customer's 360 page) 4 parts, search (search box and list) 3, create a customer 1,
write a two-line quote 1. Errors: **{total['failures']}** of {total['requests']:,} requests
(target 0: {'met' if total['failures'] == 0 else '**not met**'}); {total['rps']:.1f} requests/s.

| Endpoint | Requests | Errors | p50 | p95 |
|---|---|---|---|---|
{lines}
| **all** | {total['requests']:,} | {total['failures']} | {total['p50_ms']:.0f} ms | {total['p95_ms']:.0f} ms |
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data even if present")
    args = parser.parse_args()
    url = bench_database_url("kehu_load")
    slugs = None if args.rebuild else built_before(url)
    if slugs is None:
        reset_database(url)
        progress(f"building {TENANTS} tenants")
        slugs = build(url)
    with tempfile.TemporaryDirectory(prefix="kehu-load-") as tmp:
        with gunicorn_on(url, Path(tmp), "wsgi:app", extra_args=GUNICORN_EXTRA) as port:
            progress(f"locust: {args.users} users for {args.minutes:g} min")
            stats = run_locust(f"http://127.0.0.1:{port}", slugs, args.minutes, args.users, Path(tmp))
        rows = read_stats(stats)
    for row in rows:
        emit(row)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar().split()[0]
    engine.dispose()
    server = "DATABASE_URL server" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL"
    write_section("Load", section(rows, args.minutes, args.users, f"{server} {version}"))
    progress("wrote docs/PERFORMANCE.md")


if __name__ == "__main__":
    main()
