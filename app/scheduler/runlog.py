"""The job-run log: each run of a scheduled handler or a queued job, its outcome and error.

Rows are written on a connection of their own (autocommitted apart from the job's
transaction), so a job that fails and rolls back still leaves its "failed" row.
"""
import json
from datetime import datetime, timezone

import sqlalchemy as sa

from app.extensions import db
from app.scheduler.models import JobRun

# What the pages show of a long traceback-free message; the log keeps all of it.
ERROR_LIMIT = 4000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def start(kind: str, name: str, tenant_id: int | None, attempts: int = 1,
          job_args: dict | None = None) -> int:
    with db.engine.begin() as connection:
        return connection.execute(sa.insert(JobRun).values(
            kind=kind, name=name[:200], tenant_id=tenant_id, started_at=utcnow(), status="running",
            attempts=attempts, job_args=job_args).returning(JobRun.id)).scalar_one()


def finish(run_id: int, error: BaseException | None = None) -> None:
    values = {"finished_at": utcnow(), "status": "done"}
    if error is not None:
        values.update(status="failed", error=describe(error))
    with db.engine.begin() as connection:
        connection.execute(sa.update(JobRun).where(JobRun.id == run_id).values(**values))


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LIMIT]


def queued_args(path: str, args, kwargs) -> dict | None:
    """What Retry needs to queue the job again; None when its arguments are not plain data."""
    stored = {"path": path, "args": list(args), "kwargs": dict(kwargs)}
    try:
        return json.loads(json.dumps(stored))
    except (TypeError, ValueError):
        return None


def runs(tenant_id: int | None = None, *, failed_only: bool = False, limit: int = 100) -> list[JobRun]:
    """The latest runs, newest first: of one tenant, or of all (provider staff)."""
    query = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    if tenant_id is not None:
        query = query.where(JobRun.tenant_id == tenant_id)
    if failed_only:
        query = query.where(JobRun.status == "failed")
    return list(db.session.scalars(query))


def run_of(run_id: int, tenant_id: int | None = None) -> JobRun | None:
    """The run, only if it belongs to tenant_id (when given): another tenant's id is not found."""
    run = db.session.get(JobRun, run_id)
    if run is None or (tenant_id is not None and run.tenant_id != tenant_id):
        return None
    return run


def prune(older_than: datetime) -> int:
    """Forget successful runs older than older_than (failed ones stay until someone looks)."""
    with db.engine.begin() as connection:
        return connection.execute(sa.delete(JobRun).where(
            JobRun.status == "done", JobRun.started_at < older_than)).rowcount
