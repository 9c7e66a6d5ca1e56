"""The billing clock: one place that reads the time (tests travel with time-machine)."""
from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)
