"""Background work: on the RQ queue when REDIS_URL is set, inline otherwise.

A job is a plain function given by import path; it runs with an app context
(and, when it names a tenant, inside that tenant's scope) on either road.
"""
import importlib

from flask import current_app


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
        return
    from redis import Redis
    from rq import Queue

    Queue("kehu", connection=Redis.from_url(redis_url)).enqueue(run_job, path, *args, **kwargs)
