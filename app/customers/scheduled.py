"""The nightly customer tiers pass, run by the scheduler for each tenant (and by `flask customers tiers`)."""
from datetime import datetime, time

from app.customers.services import recompute_tiers, refresh_sales_volumes
from app.scheduler import due_work
from app.scheduler.clock import next_local

# In the small hours of the tenant's night: yesterday's orders are all in.
RUNS_AT = time(2, 0)


def refresh_tiers() -> None:
    """Sales volumes from orders (last 12 months plus history), then the computed tiers."""
    refresh_sales_volumes()
    recompute_tiers()


@due_work("customers.tiers")
def nightly_tiers(now: datetime) -> datetime:
    refresh_tiers()
    return next_local(now, RUNS_AT)
