"""Billing work on the queue: the daily dunning run as a job (app/jobs.py: RQ with REDIS_URL, inline without)."""
from app.extensions import db
from app.jobs import enqueue
from billing import dunning

DAILY_RUN = "billing.jobs.daily_run"


def daily_run() -> dict[str, int]:
    """What `flask billing run` does: one idempotent pass, committed; returns counts by kind."""
    done = dunning.run()
    db.session.commit()
    return dict(done)


def enqueue_daily_run() -> None:
    """Put today's run on the queue (a worker runs it); without Redis it runs now, in this process."""
    enqueue(DAILY_RUN)
