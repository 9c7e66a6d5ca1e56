"""Sales benchmarks (`python -m bench.sales`): pipeline board, forecast, price history.

One tenant holding 20,000 opportunities and 50,000 sent quotes with 500,000
lines (plus 2,000 customers, 1,000 products, 25 users in a unit tree).
Requests go through the Flask test client in-process, so the figures are
server time (routing, tenant resolution, login, queries, templates), without
a network. Prints one JSON object per benchmark on stdout, then rewrites the
"Sales" section of docs/PERFORMANCE.md. Database `kehu_bench_sales` on the
DATABASE_URL server, or the embedded server under instance/pgdata-bench.
Benchmarks are not tests: a missed target is reported, not failed.
"""
import os
import random
import statistics
import time
from datetime import date

import sqlalchemy as sa

from app import ROOT
from app.auth.models import User
from app.extensions import db
from app.forecast.services import forecast
from app.opportunities.board import CARDS_PER_STAGE
from app.quotes.history import price_histories
from bench import sales_data
from bench.common import DOC, fresh_bench_tenant, write_section
from bench.tenancy import emit, p95, progress
from tenants.context import tenant_scope

DATABASE = "kehu_bench_sales"
RUNS = 200
TARGET_S = 0.1
PASSWORD = "bench-password-123"


def sample(action, runs: int = RUNS) -> list[float]:
    action()  # warm-up: caches, compiled statements, the connection pool
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def record(name: str, what: str, times: list[float]) -> dict:
    worst = p95(times)
    return emit({"bench": name, "what": what, "runs": len(times),
                 "median_s": round(statistics.median(times), 4), "p95_s": round(worst, 4),
                 "target": f"p95_s < {TARGET_S}", "met": worst < TARGET_S})


def get_ok(client, path: str):
    def action():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return action


def run(app, tenant) -> dict:
    client = app.test_client()
    client.post(f"/t/{tenant.slug}/login", data={"email": f"owner@{tenant.slug}.example",
                                                 "password": PASSWORD})
    slug, records = tenant.slug, {}
    progress("pipeline_board")
    records["pipeline_board"] = record(
        "pipeline_board", "GET the board as the owner (every deal visible)",
        sample(get_ok(client, f"/t/{slug}/opportunities/")))
    progress("forecast")
    records["forecast"] = record(
        "forecast", "GET the forecast page, 12 months, per rep, USD converted",
        sample(get_ok(client, f"/t/{slug}/forecast/?from=2026-01-01&to=2026-12-31&by=owner")))
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.scalars(sa.select(User).order_by(User.id)).first()
        records["forecast_service"] = record(
            "forecast_service", "forecast() alone, 12 months by quarter per unit",
            sample(lambda: forecast(owner, date(2026, 1, 1), date(2026, 12, 31), "quarter", "unit")))
        rng = random.Random(7)
        records["price_history"] = record(
            "price_history", "price_histories() of one product for one customer (service)",
            sample(lambda: price_histories([rng.randint(1, sales_data.PRODUCTS)],
                                           rng.randint(1, sales_data.CUSTOMERS))))
        db.session.rollback()
    rng = random.Random(11)
    records["line_info"] = record(
        "line_info", "GET /quotes/line-info while typing a code: search, customer price, history",
        sample(lambda: get_ok(client, f"/t/{slug}/quotes/line-info?"
                                      f"q=P{rng.randint(1, sales_data.PRODUCTS):05d}"
                                      f"&customer=C{rng.randint(1, 2000):06d}&currency=CNY")()))
    return records


def section(records: dict, counts: dict, server: str) -> str:
    rows = "\n".join(
        f"| {r['bench']} | {r['what']} | median {r['median_s'] * 1000:.1f} ms, "
        f"p95 {r['p95_s'] * 1000:.1f} ms | p95 < 100 ms | {'yes' if r['met'] else 'NO'} |"
        for r in records.values())
    return f"""## Sales

Last run {date.today().isoformat()} by `python -m bench.sales` (`make bench-sales`;
{os.cpu_count()} cores, {server}).
One tenant with {counts['opportunities']:,} opportunities, {counts['quotes']:,} quotes and
{counts['quote_lines']:,} quote lines ({sales_data.CUSTOMERS:,} customers,
{sales_data.PRODUCTS:,} products, {sales_data.USERS} users); {RUNS} timed runs each after one
warm-up. Requests go through the Flask test client in-process: server time without a network.

| Benchmark | What | Figure | Target | Met |
|---|---|---|---|---|
{rows}

* **pipeline_board** counts and sums every stage (one GROUP BY over the visible deals) and
  reads the first {CARDS_PER_STAGE} cards of each stage with one LIMITed range scan of
  `ix_opportunities_stage_close` (open stages) or `ix_opportunities_stage_closed` (won/lost).
  Its amounts and dates are formatted without Babel (`amount` filter): Babel's
  `format_currency` costs ~65 µs a call, 20 ms for a board of 300 cards.
* **forecast** is one GROUP BY over the deals closing in the period; currency conversion
  happens on the grouped sums (a few dozen rows), not per deal.
* **price_history** is one scan of `ix_quote_lines_price_history (product_id, customer_id,
  quoted_at) INCLUDE (currency, unit_price)`: every line of the product, index-only, with
  the customer's figures as FILTERed aggregates; ~{counts['quote_lines'] // sales_data.PRODUCTS}
  lines per product here.
"""


def main() -> None:
    app, tenant, where = fresh_bench_tenant(DATABASE, "bench-sales", "Bench Sales", PASSWORD)
    with app.app_context():
        progress("filling the tenant")
        with tenant_scope(tenant):
            counts = sales_data.fill()
            db.session.commit()
    records = run(app, tenant)
    write_section("Sales", section(records, counts, where))
    progress(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
