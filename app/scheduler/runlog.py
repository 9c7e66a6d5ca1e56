"""The job-run log: each run of a scheduled handler or a queued job, its outcome and error.

A run's row is written once it ends (one write per run: the scheduler runs thousands),
on a connection of its own, apart from the job's transaction, so a job that fails and
rolls back still leaves its "failed" row.
"""
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from app.extensions import db
from app.scheduler.models import JobRun

# What the pages show of a long traceback-free message; the log keeps all of it.
ERROR_LIMIT = 4000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Started:
    kind: str
    name: str
    tenant_id: int | None
    attempts: int = 1
    job_args: dict | None = None
    started_at: datetime = field(default_factory=lambda: utcnow())


def start(kind: str, name: str, tenant_id: int | None, attempts: int = 1,
          job_args: dict | None = None) -> Started:
    return Started(kind, name[:200], tenant_id, attempts, job_args)


def finish(run: Started, error: BaseException | None = None, *, in_job: bool = False) -> int:
    """Log the run that ended now (failed when error is given); returns its id.

    in_job: written in the job's own transaction (a success, about to commit: its row and
    its work commit together, with one commit less); otherwise on a connection of its own."""
    statement = sa.insert(JobRun).values(
        kind=run.kind, name=run.name, tenant_id=run.tenant_id, started_at=run.started_at,
        finished_at=utcnow(), status="failed" if error is not None else "done",
        error=describe(error) if error is not None else None, attempts=run.attempts,
        job_args=run.job_args).returning(JobRun.id)
    if in_job:
        return db.session.execute(statement).scalar_one()
    with db.engine.begin() as connection:
        return connection.execute(statement).scalar_one()


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
