"""Billing work on the queue: the daily dunning run as a job (app/jobs.py: RQ with REDIS_URL, inline without)."""
import logging
from collections import Counter
from datetime import datetime, timedelta

from app.extensions import db
from app.jobs import enqueue
from app.scheduler import public_due_work
from billing import dunning

DAILY_RUN = "billing.jobs.daily_run"
log = logging.getLogger(__name__)


def daily_run() -> dict[str, int]:
    """What `flask billing run` does: one idempotent pass; returns counts by kind.

    One transaction per subscription (the job's commit points): a failure rolls back that
    subscription only, is logged and counted as "failed", and the others go on.
    """
    done = Counter()
    for subscription_id in dunning.subscription_ids():
        try:
            done.update(dunning.run_for(subscription_id))
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("billing run: subscription %s failed; the others go on", subscription_id)
            done["failed"] += 1
    return dict(done)


def enqueue_daily_run() -> None:
    """Put today's run on the queue (a worker runs it); without Redis it runs now, in this process."""
    enqueue(DAILY_RUN)


@public_due_work("billing.daily_run")
def hourly_run(now: datetime) -> datetime:
    """The scheduler runs the pass every hour: the run is idempotent (each subscription's row is
    locked while it is handled, billing/locks.py), so a suspension or reminder due today is done
    within the hour, and a tick that overlaps another never takes it twice (the wake-up's claim)."""
    daily_run()
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
