"""One tick: make the missing wake-ups, claim the due ones, run (or queue) each handler.

Claiming moves a row's due_at to the end of a lease (FOR UPDATE SKIP LOCKED picks
rows no other tick holds), so two ticks at once never run one tenant's handler
twice for the same due time. The handler then runs in the tenant's job scope, and
its next due time is stored in the same transaction as its work. A failure is
retried with backoff (1, 5, 25, then 60 minutes) and, after MAX_ATTEMPTS in a row,
the handler is marked failed for that tenant until someone retries it.

With REDIS_URL the tick only claims and queues; a worker runs the handlers.
"""
import logging
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context

from app.extensions import db
from app.job_scope import job_scope
from app.scheduler import builtin as _builtin  # noqa: F401  (registers the built-in handlers)
from app.scheduler import handlers, public_handlers, runlog
from app.scheduler.wakeups import MAX_ATTEMPTS, backoff, utcnow

log = logging.getLogger(__name__)

# A claimed handler not settled within this time (its process died) is due again.
LEASE = timedelta(minutes=15)
BATCH = 200
# A handler that says it has more work right now runs again after this (the next tick).
RERUN_AFTER = timedelta(seconds=1)

_MISSING_ROWS = sa.text("""
    INSERT INTO public.wakeups (tenant_id, handler, due_at, attempts)
    SELECT t.id, h.name, :now, 0
    FROM public.tenants t CROSS JOIN unnest(CAST(:names AS text[])) AS h(name)
    WHERE t.status = 'active'
      AND NOT EXISTS (SELECT 1 FROM public.wakeups w WHERE w.tenant_id = t.id AND w.handler = h.name)
    ON CONFLICT DO NOTHING""")

_MISSING_PUBLIC_ROWS = sa.text("""
    INSERT INTO public.wakeups (tenant_id, handler, due_at, attempts)
    SELECT NULL, h.name, :now, 0 FROM unnest(CAST(:names AS text[])) AS h(name)
    WHERE NOT EXISTS (SELECT 1 FROM public.wakeups w WHERE w.tenant_id IS NULL AND w.handler = h.name)
    ON CONFLICT DO NOTHING""")

_CLAIM = sa.text("""
    WITH due AS (
        SELECT w.id, w.due_at FROM public.wakeups w
        LEFT JOIN public.tenants t ON t.id = w.tenant_id
        WHERE w.due_at <= :now AND w.failed_at IS NULL
          AND ((w.tenant_id IS NOT NULL AND t.status = 'active' AND w.handler = ANY(CAST(:names AS text[])))
               OR (w.tenant_id IS NULL AND w.handler = ANY(CAST(:public_names AS text[]))))
        ORDER BY w.due_at
        LIMIT :limit
        FOR UPDATE OF w SKIP LOCKED)
    UPDATE public.wakeups w SET due_at = :lease, claimed_until = :lease
    FROM due WHERE w.id = due.id
    RETURNING w.id, w.tenant_id, w.handler, due.due_at, w.attempts""")

# A wake_at during the run lowered due_at below the lease: the earlier time stays.
_SETTLE = sa.text("""
    UPDATE public.wakeups SET
        due_at = CASE WHEN due_at = claimed_until THEN CAST(:next AS timestamptz)
                      ELSE LEAST(due_at, CAST(:next AS timestamptz)) END,
        claimed_until = NULL, attempts = 0, last_error = NULL
    WHERE id = :id AND claimed_until = :lease""")

_FAIL = sa.text("""
    UPDATE public.wakeups SET due_at = :due_at, claimed_until = NULL, attempts = :attempts,
        last_error = :error, failed_at = :failed_at
    WHERE id = :id AND claimed_until = :lease""")


# A wake_at made meanwhile, earlier than the old due time, is kept.
_RELEASE = sa.text("""
    UPDATE public.wakeups SET
        due_at = CASE WHEN due_at = claimed_until THEN :due_at ELSE LEAST(due_at, :due_at) END,
        claimed_until = NULL
    WHERE id = :id AND claimed_until = :lease""")


@dataclass(frozen=True)
class Claim:
    wakeup_id: int
    tenant_id: int | None
    handler: str
    due_at: datetime
    attempts: int  # failures in a row before this run
    lease: datetime

    def as_job(self) -> dict:  # plain data for the queue
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_job(cls, data: dict) -> "Claim":
        return cls(**{k: (datetime.fromisoformat(v) if k in ("due_at", "lease") else v)
                      for k, v in data.items()})


@dataclass
class TickResult:
    done: list[tuple[int | None, str]] = field(default_factory=list)
    failed: list[tuple[int | None, str]] = field(default_factory=list)
    queued: int = 0


def tick(now: datetime | None = None, names: list[str] | None = None,
         stop: threading.Event | None = None) -> TickResult:
    """Run every due handler of every active tenant (and the due public work) as of `now`.

    names: only these handlers (tests; an operator running one by hand).
    stop: once set (SIGTERM), the handler under way finishes and the claims not yet run
    are handed back, due as they were."""
    now = now or utcnow()
    tenant_names = sorted(n for n in handlers() if names is None or n in names)
    public_names = sorted(n for n in public_handlers() if names is None or n in names)
    result = TickResult()
    with current_app.app_context():
        if tenant_names:
            db.session.execute(_MISSING_ROWS, {"now": now, "names": tenant_names})
        if public_names:
            db.session.execute(_MISSING_PUBLIC_ROWS, {"now": now, "names": public_names})
        db.session.commit()
    while True:
        claims = claim(now, tenant_names, public_names)
        for position, one in enumerate(claims):
            if stop is not None and stop.is_set():
                release(claims[position:])
                return result
            dispatch(one, now, result)
        if len(claims) < BATCH:
            return result


def claim(now: datetime, names: list[str], public_names: list[str], limit: int = BATCH) -> list[Claim]:
    lease = now + LEASE
    with current_app.app_context():
        rows = db.session.execute(_CLAIM, {"now": now, "lease": lease, "names": names,
                                           "public_names": public_names, "limit": limit}).all()
        db.session.commit()
    return [Claim(row.id, row.tenant_id, row.handler, row.due_at, row.attempts, lease) for row in rows]


def release(claims: list[Claim]) -> None:
    """Hand claims back unrun: due again at the time they were due."""
    with current_app.app_context():
        for one in claims:
            db.session.execute(_RELEASE, {"id": one.wakeup_id, "lease": one.lease, "due_at": one.due_at})
        db.session.commit()


def dispatch(one: Claim, now: datetime, result: TickResult) -> None:
    """Queue the handler's run with Redis (a worker runs it), else run it now."""
    if current_app.config["REDIS_URL"]:
        from app.jobs import submit

        submit(run_claim_job, one.as_job(), now.isoformat())
        result.queued += 1
        return
    (result.done if run_claim(one, now) else result.failed).append((one.tenant_id, one.handler))


def run_claim_job(claim_data: dict, now_iso: str) -> bool:
    """What a queue worker runs for one claimed handler."""
    if not has_app_context():
        from app import create_app

        with create_app().app_context():
            return run_claim_job(claim_data, now_iso)
    return run_claim(Claim.from_job(claim_data), datetime.fromisoformat(now_iso))


def run_claim(one: Claim, now: datetime) -> bool:
    """Run one claimed handler in its tenant's job scope; True when it succeeded."""
    registry = handlers() if one.tenant_id is not None else public_handlers()
    handler = registry.get(one.handler)
    if handler is None:  # unregistered since the claim: left for its lease to end
        return False
    run = runlog.start("scheduled", one.handler, one.tenant_id, attempts=one.attempts + 1)
    try:
        with job_scope(one.tenant_id, name=one.handler) as tenant:
            if tenant is not None and tenant.status != "active":
                next_at = one.due_at  # suspended since the claim: due again once active
            else:
                next_at = handler(now)
            if next_at is not None and next_at.tzinfo is None:
                raise TypeError(f"{one.handler} returned a naive datetime; handlers return aware times")
            if next_at is not None and next_at <= now:
                next_at = now + RERUN_AFTER  # due again: at the next tick, not in this one's loop
            db.session.execute(_SETTLE, {"next": next_at, "id": one.wakeup_id, "lease": one.lease})
            runlog.finish(run, in_job=True)
    except Exception as error:  # noqa: BLE001  (recorded: the run log, the wake-up's backoff)
        _record_failure(one, now, error)
        runlog.finish(run, error)
        return False
    return True


def _record_failure(one: Claim, now: datetime, error: BaseException) -> None:
    attempts = one.attempts + 1
    given_up = attempts >= MAX_ATTEMPTS
    with current_app.app_context():
        db.session.execute(_FAIL, {
            "id": one.wakeup_id, "lease": one.lease, "attempts": attempts,
            "error": runlog.describe(error),
            "due_at": one.due_at if given_up else now + backoff(attempts),
            "failed_at": now if given_up else None})
        db.session.commit()
    if given_up:
        log.error("%s failed %d times in a row for tenant %s: stopped until retried",
                  one.handler, attempts, one.tenant_id)
