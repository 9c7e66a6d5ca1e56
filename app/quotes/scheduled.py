"""The daily quote expiry, run by the scheduler for each tenant (and by `flask quotes expire`)."""
from datetime import datetime, time

from app.i18n import workspace_today
from app.quotes.services import expire_due
from app.scheduler import due_work
from app.scheduler.clock import next_local

# Just after the tenant's midnight: a quote valid "until the 5th" expires as the 6th begins.
RUNS_AT = time(0, 5)


def expire_in() -> int:
    """The current tenant's pass (inside job_scope): today is the tenant's date, not the server's."""
    return expire_due(workspace_today())


@due_work("quotes.expire")
def daily_expiry(now: datetime) -> datetime:
    expire_in()
    return next_local(now, RUNS_AT)
