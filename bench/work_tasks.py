"""Tasks benchmarks (`python -m bench.work_tasks`): the tasks' "My day" panels, and 10,000
due reminders sent exactly once by two ticks running at the same time.

One tenant of 100 users (HQ → 4 regions → 20 stores; a manager on each region) holding
100,000 tasks and 20,000 meetings. The panels are built and rendered in-process (server
time, no network), as a rep and as a region manager. Prints one JSON object per
benchmark on stdout, then rewrites the "Work: tasks" section of docs/PERFORMANCE.md.
Database `kehu_bench_work_tasks` on the DATABASE_URL server, or the embedded server under
instance/pgdata-bench. Benchmarks are not tests: a missed target is reported, not failed.
"""
import os
import statistics
import threading
import time
from datetime import date, datetime, timezone

import sqlalchemy as sa
from flask import g, render_template

from app import ROOT
from app.auth.models import User
from app.extensions import db
from app.myday import panels
from app.tasks import reminders
from bench.common import DOC, fresh_bench_tenant, write_section
from bench.tenancy import emit, p95, progress
from tenants.context import tenant_scope

DATABASE = "kehu_bench_work_tasks"
USERS = 100
TASKS = 100_000
MEETINGS = 20_000
REMINDERS = 10_000
RUNS = 200
TARGET_S = 0.1
PASSWORD = "bench-password-123"
TASK_PANELS = ("tasks.today", "tasks.overdue", "tasks.team_overdue")

STATEMENTS = [
    "SELECT setseed(0.12)",
    "INSERT INTO units (name, kind) VALUES ('HQ', 'head_office')",
    "INSERT INTO units (name, kind, parent_id) SELECT 'Region ' || n, 'region', 1 "
    "FROM generate_series(1, 4) n",
    "INSERT INTO units (name, kind, parent_id) SELECT 'Store ' || n, 'store', 2 + n % 4 "
    "FROM generate_series(1, 20) n",
    # users 2–5 manage the regions (units 2–5); the others are reps in the stores (6–25)
    "INSERT INTO users (email, name, role_id, unit_id, password_hash, active, session_version, "
    "recovery_code_hashes, time_zone) "
    "SELECT 'user' || n || '@bench.example', '员工 ' || n, "
    "(SELECT id FROM roles WHERE key = CASE WHEN n <= 4 THEN 'sales_manager' ELSE 'sales_rep' END), "
    "CASE WHEN n <= 4 THEN 1 + n ELSE 6 + n % 20 END, 'x', true, 1, '[]', 'Asia/Shanghai' "
    f"FROM generate_series(1, {USERS - 1}) n",
    "INSERT INTO unit_managers (unit_id, user_id) SELECT 1 + n, 1 + n FROM generate_series(1, 4) n",
    # 100,000 tasks over 100 users: due from 60 days ago to 30 days ahead, the past mostly done
    "INSERT INTO tasks (title, priority, owner_id, unit_id, due_date, due_at, done_at, custom, "
    "created_at) "
    "SELECT 'Task ' || n, (ARRAY['low', 'normal', 'high'])[1 + n % 3], u.id, u.unit_id, "
    "current_date - 60 + n % 91, "
    "CASE WHEN n % 4 = 0 THEN (current_date - 60 + n % 91) + time '09:00' END, "
    "CASE WHEN n % 91 < 60 AND n % 5 <> 0 THEN now() - (n % 60) * interval '1 day' END, '{}', "
    "now() - (n % 90) * interval '1 day' "
    f"FROM generate_series(1, {TASKS}) n JOIN users u ON u.id = 1 + n % {USERS}",
    "INSERT INTO meetings (title, kind, starts_at, ends_at, all_day, owner_id, unit_id, "
    "created_at, updated_at) "
    "SELECT 'Meeting ' || n, (ARRAY['meeting', 'visit', 'call'])[1 + n % 3], "
    "date_trunc('hour', now()) + (n % 1440 - 720) * interval '1 hour', "
    "date_trunc('hour', now()) + (n % 1440 - 720) * interval '1 hour' + interval '1 hour', "
    f"false, u.id, u.unit_id, now(), now() FROM generate_series(1, {MEETINGS}) n "
    f"JOIN users u ON u.id = 1 + n % {USERS}",
    "ANALYZE",
]


def fill() -> dict:
    for statement in STATEMENTS:
        db.session.execute(sa.text(statement))
    return {table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            for table in ("users", "tasks", "meetings")}


def sample(action, runs: int = RUNS) -> list[float]:
    action()  # warm-up
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


def render_task_panels(user) -> int:
    """Build and render the tasks' My day panels for user; how many showed."""
    shown = 0
    for spec in panels():
        if spec.key in TASK_PANELS and (data := spec.build(user)):
            render_template(spec.template, panel=data)
            shown += 1
    return shown


def panels_as(app, tenant, email: str) -> list[float]:
    with app.test_request_context(), tenant_scope(tenant):
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        g._login_user = user  # what current_user (the templates' can()) reads
        times = sample(lambda: render_task_panels(user))
        db.session.rollback()
    return times


def home_page(app, tenant) -> list[float]:
    client = app.test_client()
    client.post(f"/t/{tenant.slug}/login", data={"email": "user7@bench.example",
                                                 "password": PASSWORD})

    def action():
        response = client.get(f"/t/{tenant.slug}/")
        assert response.status_code == 200, response.status_code
    return sample(action)


def two_ticks(app, tenant) -> dict:
    """10,000 due reminders; two threads run the handler at the same moment."""
    with app.app_context(), tenant_scope(tenant):
        db.session.execute(sa.text(
            "UPDATE tasks SET remind_at = now() - interval '1 minute', reminded_at = NULL "
            f"WHERE id IN (SELECT id FROM tasks WHERE done_at IS NULL ORDER BY id LIMIT {REMINDERS})"))
        db.session.commit()
    sent, lock, real_notify = [], threading.Lock(), reminders.notify

    def counting_notify(user_ids, event, message, params=None, **kwargs):
        real_notify(user_ids, event, message, params, **kwargs)
        with lock:
            sent.append(kwargs["subject"][1])

    reminders.notify = counting_notify
    start, now = threading.Barrier(2), datetime.now(timezone.utc)

    def tick():
        with app.test_request_context(), tenant_scope(tenant):
            start.wait()
            reminders.send_due_reminders(now)
            db.session.commit()

    began = time.perf_counter()
    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    reminders.notify = real_notify
    with app.app_context(), tenant_scope(tenant):
        reminded = db.session.scalar(sa.text("SELECT count(*) FROM tasks WHERE reminded_at IS NOT NULL"))
    return emit({"bench": "reminders_two_ticks", "what": f"{REMINDERS:,} due reminders, the "
                 "tasks.reminders handler run by two threads at once", "due": REMINDERS,
                 "reminded_rows": reminded, "notify_calls": len(sent),
                 "distinct_tasks_notified": len(set(sent)), "seconds": round(elapsed, 3),
                 "met": reminded == len(sent) == len(set(sent)) == REMINDERS})


def section(records: dict, counts: dict, server: str) -> str:
    rows = "\n".join(
        f"| {r['bench']} | {r['what']} | median {r['median_s'] * 1000:.1f} ms, "
        f"p95 {r['p95_s'] * 1000:.1f} ms | p95 < 100 ms | {'yes' if r['met'] else 'NO'} |"
        for r in records.values() if "p95_s" in r)
    ticks = records["reminders_two_ticks"]
    return f"""## Work: tasks

Last run {date.today().isoformat()} by `python -m bench.work_tasks` ({os.cpu_count()} cores,
{server}). One tenant of {counts['users']} users (HQ, 4 regions with a manager each, 20 stores)
with {counts['tasks']:,} tasks and {counts['meetings']:,} meetings; {RUNS} timed runs each after
one warm-up, in-process (server time, no network).

| Benchmark | What | Figure | Target | Met |
|---|---|---|---|---|
{rows}

**Reminders sent exactly once:** {ticks['due']:,} due reminders, the `tasks.reminders` handler
run by two threads at the same moment: {ticks['reminded_rows']:,} rows marked reminded,
{ticks['notify_calls']:,} `notify()` calls for {ticks['distinct_tasks_notified']:,} distinct tasks,
in {ticks['seconds']:.2f} s ({'met' if ticks['met'] else 'NOT met'}). Each batch of 1,000 is claimed with one
`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) AND reminded_at IS NULL RETURNING`,
so the two threads split the work and never claim the same row. Each reminder is a real
notification: an in-app row and, as "task due" is e-mailed by default, a message through the
outbox, delivered after each batch's commit (here to the .eml sink); that delivery is most
of the time.

* **myday_task_panels_*** build and render the three task panels of "My day" (today's,
  overdue, and for a manager the team's overdue tasks). Today's and overdue are each one
  range scan of `ix_tasks_owner_open_due (owner_id, done_at, due_date, id)`; the team's is
  one query over the partial index `ix_tasks_unit_open_due (unit_id, due_date) WHERE done_at
  IS NULL AND deleted_at IS NULL` with the managed units from a recursive CTE. The My day
  page is timed whole by **home_page**: every module's panels (tasks, meetings, follow-ups,
  approvals, announcements, notifications, deals by stage), as a rep.
"""


def main() -> None:
    app, tenant, where = fresh_bench_tenant(DATABASE, "bench-work", "Bench Work", PASSWORD)
    with app.app_context():
        from app.auth.passwords import hash_password

        progress("filling the tenant")
        with tenant_scope(tenant):
            counts = fill()
            db.session.execute(sa.text("UPDATE users SET password_hash = :h WHERE email LIKE "
                                       "'user%@bench.example'"), {"h": hash_password(PASSWORD)})
            db.session.commit()
    records = {}
    progress("my day panels")
    records["myday_task_panels_rep"] = record(
        "myday_task_panels_rep", "the task panels of My day, built and rendered, as a rep",
        panels_as(app, tenant, "user7@bench.example"))
    records["myday_task_panels_manager"] = record(
        "myday_task_panels_manager", "the same as a region manager (team's overdue too)",
        panels_as(app, tenant, "user1@bench.example"))
    records["home_page"] = record(
        "home_page", "GET /t/<slug>/ as a rep: the whole My day page, every module's panels",
        home_page(app, tenant))
    progress("reminders")
    records["reminders_two_ticks"] = two_ticks(app, tenant)
    write_section("Work: tasks", section(records, counts, where))
    progress(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
