"""Retry: a failed run's handler due now again, or its queued job queued again (once per run)."""
import logging

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.scheduler import wakeups
from app.scheduler.models import JobRun
from app.scheduler.runlog import utcnow

log = logging.getLogger(__name__)


def can_retry(run: JobRun) -> bool:
    return (run.status == "failed" and run.retried_at is None
            and (run.kind == "scheduled" or run.job_args is not None))


def retry(run: JobRun) -> bool:
    """Retry a failed run; False when it was retried already (a double click) or cannot be."""
    if not can_retry(run):
        return False
    marked = db.session.execute(sa.update(JobRun).where(
        JobRun.id == run.id, JobRun.retried_at.is_(None)).values(retried_at=utcnow())).rowcount
    if not marked:
        return False
    if run.kind == "scheduled":
        wakeups.due_now(run.name, run.tenant_id)
        return True
    _queue_again(run)
    return True


def _queue_again(run: JobRun) -> None:
    from app.jobs import requeue

    stored = run.job_args
    db.session.commit()  # the retry mark first: a job run inline commits on its own
    try:
        # Without Redis the job runs now: in a session of its own, as a worker would.
        with current_app.app_context():
            requeue(stored["path"], run.tenant_id, stored["args"], stored["kwargs"])
    except Exception:  # noqa: BLE001  (run inline and failed again: its own run row says so)
        log.warning("retried job %s failed again", stored["path"])
