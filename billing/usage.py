"""Usage per tenant (seats, records, storage) from counters that modules register.

Billing knows no CRM module: each module that owns something countable calls
register_counter(metric, name, fn) at start-up; fn() runs inside the tenant's
scope and returns a number. Records and storage stay 0 until such modules exist.
"""
from dataclasses import dataclass
from typing import Callable

from billing.plans import Limits
from tenants.context import tenant_scope

METRICS = ("seats", "records", "storage_mb")
_counters: dict[str, dict[str, Callable[[], int]]] = {metric: {} for metric in METRICS}


def register_counter(metric: str, name: str, fn: Callable[[], int]) -> None:
    """Add (or replace) a counter; registering the same name twice keeps one."""
    if metric not in _counters:
        raise ValueError(f"unknown usage metric {metric!r}")
    _counters[metric][name] = fn


@dataclass(frozen=True)
class Usage:
    seats: int = 0
    records: int = 0
    storage_mb: int = 0


def usage_of(tenant) -> Usage:
    with tenant_scope(tenant):
        totals = {metric: sum(int(fn()) for fn in fns.values()) for metric, fns in _counters.items()}
    return Usage(**totals)


def over_limits(usage: Usage, limits: Limits) -> list[str]:
    """The metrics where usage exceeds limits (None = unlimited)."""
    pairs = (("seats", usage.seats, limits.seats), ("records", usage.records, limits.records),
             ("storage_mb", usage.storage_mb, limits.storage_mb))
    return [metric for metric, used, limit in pairs if limit is not None and used > limit]
