"""Usage per tenant (seats, records, storage) from counters that modules register.

Billing knows no CRM module: each module that owns something countable calls
register_counter(metric, name, fn) at start-up (app/usage.py); fn() runs inside
the tenant's scope and returns a number (storage in bytes).
"""
from dataclasses import dataclass
from typing import Callable

from billing.plans import Limits
from tenants.context import tenant_scope

METRICS = ("seats", "records", "storage_bytes")
MB = 1024 * 1024
_counters: dict[str, dict[str, Callable[[], int]]] = {metric: {} for metric in METRICS}


def register_counter(metric: str, name: str, fn: Callable[[], int]) -> None:
    """Add (or replace) a counter; registering the same name twice keeps one."""
    if metric not in _counters:
        raise ValueError(f"unknown usage metric {metric!r}")
    _counters[metric][name] = fn


def current(metric: str) -> int:
    """One metric of the tenant whose scope is current (the limit checks use this)."""
    return sum(int(fn()) for fn in _counters[metric].values())


@dataclass(frozen=True)
class Usage:
    seats: int = 0
    records: int = 0
    storage_bytes: int = 0

    @property
    def storage_mb(self) -> int:
        """Whole megabytes, rounded up: one byte over a limit shows as over it."""
        return -(-self.storage_bytes // MB)


def usage_of(tenant) -> Usage:
    with tenant_scope(tenant):
        return Usage(**{metric: current(metric) for metric in METRICS})


def over_limits(usage: Usage, limits: Limits) -> list[str]:
    """The metrics where usage exceeds limits (None = unlimited)."""
    storage_limit = None if limits.storage_mb is None else limits.storage_mb * MB
    pairs = (("seats", usage.seats, limits.seats), ("records", usage.records, limits.records),
             ("storage_mb", usage.storage_bytes, storage_limit))
    return [metric for metric, used, limit in pairs if limit is not None and used > limit]
