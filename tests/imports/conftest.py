"""Helpers for the import tests: running a whole import as a user (the `scope` fixture is in tests/conftest.py)."""

from app.extensions import db
from app.imports import pipeline, services
from app.imports.models import ImportJob
from app.imports.targets import TARGETS
from tests.conftest import owner_id  # noqa: F401  (imported from here by the tests)


def run_import(data: bytes, filename="customers.csv", target="customers", policy="skip",
               mapping=None, user_id=None, region=None) -> ImportJob:
    """Upload, map (as suggested unless given) and run an import inline; the finished job."""
    user_id = user_id or owner_id()
    job = services.stage_upload(target, filename, data, user_id)
    headers, _rows = services.table_of(job)
    mapping = mapping or pipeline.suggest_mapping(TARGETS[target], headers, None)
    if region is None:
        services.start(job, mapping, policy, user_id)
    else:
        services.start(job, mapping, policy, user_id, region)
    db.session.expire_all()
    return db.session.get(ImportJob, job.id)
