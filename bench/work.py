"""Work-management benchmarks (`python -m bench.work`): JSON lines on stdout, figures in
docs/PERFORMANCE.md.

Scheduler section: with 1,000 active tenants, a tick that finds nothing due (the cron
minute of almost every minute of the day), and a tick that finds a no-op handler due in
every tenant, run by two ticks at once (each tenant's handler must run exactly once).
The tenants are registry rows only: a tick that finds nothing due never opens a tenant
schema, and the no-op handler touches no table, so what is measured is the scheduler's
own cost (the claim, the job scope per tenant, the run log). Runs on database
`kehu_bench_work` (see bench/common.py).
"""
import json
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app import scheduler
from app.scheduler.models import JobRun, Wakeup
from app.scheduler.tick import tick
from bench.common import bench_database_url, write_section
from tenants.migrating import upgrade_public

DATABASE = "kehu_bench_work"
TENANTS = 1000
# Handlers per tenant besides the built-in ones: what the reminder, calendar and automation
# modules will add.
EXTRA_HANDLERS = 8
EMPTY_TICKS = 30
EMPTY_TICK_TARGET_S = 2.0


def _emit(result: dict) -> dict:
    print(json.dumps(result), flush=True)
    return result


def _tenants(count: int) -> list[int]:
    existing = db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("public.tenants")))
    if existing < count:
        db.session.execute(sa.text(
            "INSERT INTO public.tenants (slug, name, schema_name, files_key, status, locale, time_zone, currency) "
            "SELECT 'bench-' || g, 'Bench ' || g, 'tenant_bench_' || g, 'bench_files_' || g, 'active', "
            "'en', 'Asia/Shanghai', 'CNY' FROM generate_series(:start, :stop) g ON CONFLICT DO NOTHING"),
            {"start": existing + 1, "stop": count})
        db.session.commit()
    return list(db.session.scalars(sa.text("SELECT id FROM public.tenants WHERE status = 'active'")))


def _noop(now):
    return now + timedelta(days=1)


def run() -> list[dict]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": bench_database_url(DATABASE), "TENANT_POOL_TARGET": 0})
    results = []
    extra = [f"bench.handler{i}" for i in range(EXTRA_HANDLERS)]
    for name in extra + ["bench.noop"]:
        scheduler._handlers[name] = _noop
    with app.app_context():
        upgrade_public(db.engine)
        tenant_ids = _tenants(TENANTS)
        names = sorted(scheduler.handlers())
        tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
        # Nothing due: every tenant's row for every handler is set for tomorrow.
        db.session.execute(sa.text(
            "INSERT INTO public.wakeups (tenant_id, handler, due_at, attempts) "
            "SELECT t, h, :due, 0 FROM unnest(CAST(:tenants AS int[])) t, unnest(CAST(:names AS text[])) h "
            "ON CONFLICT (tenant_id, handler) DO UPDATE SET due_at = EXCLUDED.due_at, failed_at = NULL"),
            {"due": tomorrow, "tenants": tenant_ids, "names": names})
        db.session.commit()
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(Wakeup))

    tenant_names = [n for n in names if not n.startswith("bench.noop")]
    timings = []
    for _ in range(EMPTY_TICKS):
        started = time.perf_counter()
        with app.app_context():
            result = tick(names=tenant_names)
        timings.append(time.perf_counter() - started)
        assert not result.done and not result.failed
    timings.sort()
    results.append(_emit({
        "bench": "scheduler_tick_nothing_due", "tenants": len(tenant_ids), "handlers": len(tenant_names),
        "wakeup_rows": rows, "ticks": EMPTY_TICKS,
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
        "target_s": EMPTY_TICK_TARGET_S, "met": timings[-1] < EMPTY_TICK_TARGET_S}))

    # Every tenant due at once, two ticks racing: each tenant's handler runs exactly once.
    with app.app_context():
        db.session.execute(sa.update(Wakeup).where(Wakeup.handler == "bench.noop")
                           .values(due_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
        db.session.commit()
        before = db.session.scalar(sa.select(sa.func.max(JobRun.id))) or 0
    start = threading.Barrier(2)
    outcomes = []

    def one_tick():
        with app.app_context():
            start.wait()
            outcomes.append(tick(names=["bench.noop"]))

    started = time.perf_counter()
    threads = [threading.Thread(target=one_tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with app.app_context():
        runs = db.session.execute(sa.text(
            "SELECT count(*), count(DISTINCT tenant_id) FROM public.job_runs "
            "WHERE id > :before AND name = 'bench.noop' AND status = 'done'"), {"before": before}).one()
    results.append(_emit({
        "bench": "scheduler_tick_all_due_two_ticks", "tenants": len(tenant_ids),
        "runs": runs[0], "distinct_tenants": runs[1], "exactly_once": runs[0] == runs[1] == len(tenant_ids),
        "seconds": round(elapsed, 2), "per_tenant_ms": round(elapsed / len(tenant_ids) * 1000, 2),
        "split": [len(o.done) for o in outcomes]}))
    return results


def write_doc(results: list[dict]) -> None:
    empty, due = results
    write_section("Scheduler", f"""## Scheduler

`python -m bench.work`, {empty['tenants']:,} active tenants, {empty['handlers']} handlers each
({empty['wakeup_rows']:,} wake-up rows, the public `wakeups` table):

| measure | figure | target |
|---|---|---|
| tick that finds nothing due ({empty['ticks']} ticks) | median {empty['median_ms']} ms, p95 {empty['p95_ms']} ms, max {empty['max_ms']} ms | < 2 s {"(met)" if empty['met'] else "(MISSED)"} |
| tick with a no-op handler due in every tenant, two ticks at once | {due['seconds']} s ({due['per_tenant_ms']} ms a tenant; split {due['split'][0]} / {due['split'][1]}) | each tenant once: {"yes" if due['exactly_once'] else "NO"} ({due['runs']:,} runs, {due['distinct_tenants']:,} tenants) |

A tick that finds nothing due is two statements: the anti-join that adds the rows of
new tenants or handlers (none here), and the claim (`due_at <= now` on the due_at index,
FOR UPDATE SKIP LOCKED). A due handler costs a job scope (app context, tenant lookup,
commit) and one run-log row, written in the handler's own transaction; the handler's own work comes on top.
""")


if __name__ == "__main__":
    figures = run()
    if "--no-doc" not in sys.argv:
        write_doc(figures)
