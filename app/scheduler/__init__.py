"""Due work per tenant: the one scheduler's contract with the modules.

A module registers a handler by name:

    @due_work("tasks.reminders")
    def send_due_reminders(now: datetime) -> datetime | None:
        ...  # runs in the tenant's job scope (schema, language, one transaction)
        return next_time_it_has_work  # or None: nothing more until wake_at()

and, when it schedules something (a reminder at 09:00), calls
`wake_at("tasks.reminders", when)` in the same transaction, so the handler
runs for this tenant at `when` or sooner. Handlers never commit; they must be
safe to run twice for the same moment (claim rows with UPDATE … RETURNING or
SKIP LOCKED), because two ticks may overlap.

`flask jobs tick` (cron, every minute) or `flask jobs scheduler` (long-running)
find the tenants with due work and run their handlers: see app/scheduler/tick.py.
A handler that raises is retried with backoff and, after a few failures in a row,
marked failed until the tenant admin or provider staff press Retry.

`@public_due_work(name)` registers work of the whole deployment (no tenant: the
billing run), run in a job scope without a tenant, the same way.
"""
from collections.abc import Callable
from datetime import datetime

Handler = Callable[[datetime], datetime | None]
_handlers: dict[str, Handler] = {}
_public_handlers: dict[str, Handler] = {}


def due_work(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _handlers[name] = handler
        return handler
    return register


def handlers() -> dict[str, Handler]:
    return dict(_handlers)


def public_due_work(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _public_handlers[name] = handler
        return handler
    return register


def public_handlers() -> dict[str, Handler]:
    return dict(_public_handlers)


def wake_at(name: str, when: datetime) -> None:
    """Run handler `name` for the current tenant at `when` or sooner (in the caller's transaction)."""
    from app.scheduler.wakeups import wake_at as _wake_at

    _wake_at(name, when)


def run_due_now(now: datetime) -> dict[str, datetime | None]:
    """Run every handler for the current tenant as of `now` (what one tick does for a tenant)."""
    return {name: handler(now) for name, handler in _handlers.items()}
