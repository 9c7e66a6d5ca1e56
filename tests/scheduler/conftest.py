"""A temporary due-work handler per test: a unique name, its calls recorded per tenant."""
import secrets
import threading
from datetime import timedelta

import pytest

from app import scheduler


class Recorder:
    """handler(now) for every tenant: records (tenant id, now), returns `next(now)`;
    raises for the tenants in `failing`."""

    def __init__(self, name):
        self.name = name
        self.calls: list[tuple[int, object]] = []
        self.failing: set[int] = set()
        self.next = lambda now: now + timedelta(hours=1)
        self.during = None  # called inside the handler (e.g. to overlap two ticks)
        self._lock = threading.Lock()

    def __call__(self, now):
        from tenants.context import require_tenant

        tenant_id = require_tenant().id
        with self._lock:
            self.calls.append((tenant_id, now))
        if self.during:
            self.during()
        if tenant_id in self.failing:
            raise RuntimeError(f"boom for tenant {tenant_id}")
        return self.next(now)

    def runs_of(self, tenant) -> list:
        return [now for tenant_id, now in self.calls if tenant_id == tenant.id]


@pytest.fixture
def handler(monkeypatch):
    recorder = Recorder(f"test.handler.{secrets.token_hex(4)}")
    monkeypatch.setitem(scheduler._handlers, recorder.name, recorder)
    return recorder
