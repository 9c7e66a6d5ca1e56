"""Background work: on the RQ queue when REDIS_URL is set, inline otherwise.

A job is a plain function given by import path; it runs with an app context
(and, when it names a tenant, inside that tenant's scope) on either road.
"""
import importlib
import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

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


def enqueue(path: str, *args, **kwargs) -> None:
    """Queue `path(*args, **kwargs)`; without Redis, run it now in this process."""
    redis_url = current_app.config["REDIS_URL"]
    if not redis_url:
        run_job(path, *args, **kwargs)
        # A job commits in a session of its own (app.job_scope): what the caller's
        # session holds of the rows it wrote is stale now.
        from app.extensions import db

        db.session.flush()
        db.session.expire_all()
        return
    from redis import Redis
    from rq import Queue

    Queue("kehu", connection=Redis.from_url(redis_url)).enqueue(run_job, path, *args, **kwargs)


def enqueue_after_commit(path: str, *args, **kwargs) -> None:
    """Queue the job once the request's transaction commits, so it sees the rows this one wrote.

    A rollback drops it. Without Redis it then runs at once, in an app
    context (and so a database session) of its own.
    """
    from app.extensions import db

    db.session().info.setdefault(_AFTER_COMMIT, []).append((path, args, kwargs))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    pending = session.info.pop(_AFTER_COMMIT, [])
    if not pending:
        return
    app = current_app._get_current_object()
    for path, args, kwargs in pending:
        if app.config["REDIS_URL"]:
            enqueue(path, *args, **kwargs)
        else:
            try:
                with app.app_context():
                    run_job(path, *args, **kwargs)
            except Exception:  # what was committed stays committed; a worker would log it too
                log.exception("job %s failed", path)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_AFTER_COMMIT, None)
