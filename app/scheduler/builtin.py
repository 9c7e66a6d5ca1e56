"""The handlers of the modules that exist without a registry of their own, and the log's clean-up.

Imported by app/scheduler/tick.py, so every tick and worker knows them; modules with a
registry (imported from app/tenant_schema.py) register their handlers there.
"""
from datetime import datetime, timedelta

from app.customers import scheduled as _customer_tiers  # noqa: F401  (registers customers.tiers)
from app.quotes import scheduled as _quote_expiry  # noqa: F401  (registers quotes.expire)
from app.scheduler import public_due_work, runlog
from billing import jobs as _billing_run  # noqa: F401  (registers billing.daily_run)

# Successful runs are kept this long; failed ones until someone deals with them.
KEEP_RUNS = timedelta(days=30)


@public_due_work("scheduler.prune")
def prune_job_log(now: datetime) -> datetime:
    runlog.prune(now - KEEP_RUNS)
    return now + timedelta(days=1)
