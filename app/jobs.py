"""Background work: on the RQ queue when REDIS_URL is set, inline otherwise.

A job is a plain function given by import path; it runs with an app context
(and, when it names a tenant, inside that tenant's scope) on either road. Each run
is logged (app/scheduler/runlog.py) under the tenant in scope when it was queued.
"""
import importlib
import logging
import threading

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from tenants.context import current_tenant

_AFTER_COMMIT = "kehu_jobs_after_commit"
log = logging.getLogger(__name__)


def _resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def run_job(path: str, *args, **kwargs):
    """What a worker executes: the function at `path`, in an app context."""
    from app import create_app
    from flask import has_app_context

    if has_app_context():
        return _resolve(path)(*args, **kwargs)
    with create_app().app_context():
        return _resolve(path)(*args, **kwargs)


def run_logged(path: str, tenant_id: int | None, args, kwargs):
    """run_job, with a row in the job-run log (app/scheduler/runlog.py): the tenant admin and
    provider staff see a job that failed, with its error, and can queue it again."""
    from app import create_app
    from flask import has_app_context

    if not has_app_context():
        with create_app().app_context():
            return run_logged(path, tenant_id, args, kwargs)
    from app.scheduler import runlog

    run = runlog.start("queued", path, tenant_id, job_args=runlog.queued_args(path, args, kwargs))
    try:
        result = run_job(path, *args, **kwargs)
    except Exception as error:
        runlog.finish(run, error)
        raise
    runlog.finish(run)
    return result


def enqueue(path: str, *args, job_timeout: int | None = None, in_thread: bool = False,
            **kwargs) -> None:
    """Queue `path(*args, **kwargs)`; without Redis, run it now in this process, or with
    in_thread in a thread of its own (a request then answers at once and the page can
    show the job's progress). job_timeout: seconds RQ lets it run (default 180).

    The run is logged under the tenant in scope when it is queued (none: public work)."""
    tenant = current_tenant()
    requeue(path, tenant.id if tenant is not None else None, args, kwargs,
            job_timeout=job_timeout, in_thread=in_thread)


def requeue(path: str, tenant_id: int | None, args, kwargs, *, job_timeout: int | None = None,
            in_thread: bool = False) -> None:
    """enqueue() for a job whose tenant is given rather than in scope (Retry in the console)."""
    submit(run_logged, path, tenant_id, list(args), dict(kwargs),
           job_timeout=job_timeout, in_thread=in_thread)


def submit(fn, *args, job_timeout: int | None = None, in_thread: bool = False) -> None:
    """Put fn(*args) on the queue (fn: a module-level function, args: plain data), or run it
    now without Redis, or when Redis cannot be reached (with a warning: nothing is lost)."""
    redis_url = current_app.config["REDIS_URL"]
    if not redis_url:
        if in_thread:
            _start_thread(current_app._get_current_object(), fn, args)
            return
        fn(*args)
        # A job commits in a session of its own (app.job_scope): what the caller's
        # session holds of the rows it wrote is stale now.
        from app.extensions import db

        db.session.flush()
        db.session.expire_all()
        return
    from redis import Redis
    from redis.exceptions import ConnectionError, TimeoutError
    from rq import Queue

    options = {"job_timeout": job_timeout} if job_timeout else {}
    try:
        connection = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
        Queue("kehu", connection=connection).enqueue(fn, *args, **options)
    except (ConnectionError, TimeoutError) as error:
        # Redis down: the job runs now rather than being lost, in an app context (and so
        # a database session) of its own, as a worker would run it.
        log.warning("Redis unavailable (%s): running %s inline", error, _name_of(fn, args))
        with current_app._get_current_object().app_context():
            fn(*args)


def _name_of(fn, args) -> str:
    return args[0] if fn is run_logged else f"{fn.__module__}.{fn.__name__}"


def _start_thread(app, fn, args) -> threading.Thread:
    name = _name_of(fn, args)

    def work():
        with app.app_context():
            try:
                fn(*args)
            except Exception:  # as a worker would: logged, the job records its own failure
                log.exception("job %s failed", name)

    thread = threading.Thread(target=work, name=f"kehu-job {name}", daemon=True)
    thread.start()
    return thread


def enqueue_after_commit(path: str, *args, **kwargs) -> None:
    """Queue the job once the request's transaction commits, so it sees the rows this one wrote.

    A rollback drops it. Without Redis it then runs at once, in an app
    context (and so a database session) of its own.
    """
    from app.extensions import db

    db.session().info.setdefault(_AFTER_COMMIT, []).append((path, args, kwargs))


def queued_mark() -> int:
    """How many jobs wait for the commit now; give it to drop_queued_since() to forget the
    ones queued by work that was rolled back to a savepoint."""
    from app.extensions import db

    return len(db.session().info.get(_AFTER_COMMIT, []))


def drop_queued_since(mark: int) -> None:
    from app.extensions import db

    del db.session().info.get(_AFTER_COMMIT, [])[mark:]


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    if session.in_nested_transaction():
        return  # a savepoint released (SQLAlchemy calls this hook for it too): not committed yet
    pending = session.info.pop(_AFTER_COMMIT, [])
    if not pending:
        return
    app = current_app._get_current_object()
    tenant = current_tenant()
    tenant_id = tenant.id if tenant is not None else None
    for path, args, kwargs in pending:
        if app.config["REDIS_URL"]:
            requeue(path, tenant_id, args, kwargs)
        else:
            try:
                with app.app_context():
                    run_logged(path, tenant_id, list(args), dict(kwargs))
            except Exception:  # what was committed stays committed; a worker would log it too
                log.exception("job %s failed", path)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_AFTER_COMMIT, None)
