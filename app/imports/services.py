"""Staging an upload, previewing it, and running the import as a job."""
import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from app import storage
from app.extensions import db
from app.imports import pipeline
from app.imports.models import POLICIES, ImportJob
from app.imports.reading import read_table
from app.imports.targets import TARGETS
from app.job_scope import job_scope
from app.jobs import enqueue
from billing.limits import LimitReached
from tenants.context import require_tenant

PREVIEW_ROWS = 10
log = logging.getLogger(__name__)


def stage_upload(target_key: str, filename: str, data: bytes, user_id: int) -> ImportJob:
    """Read the file once (UnreadableFile if we cannot), keep it, and open a pending job."""
    headers, rows = read_table(filename, data)
    job = ImportJob(target=target_key, filename=filename[:255], policy="skip",
                    total_rows=len(rows), user_id=user_id, errors=[],
                    file_key=storage.save("imports", data, suffix=_suffix(filename)))
    db.session.add(job)
    db.session.flush()
    return job


def _suffix(filename: str) -> str:
    return ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"


def table_of(job: ImportJob):
    return read_table(job.file_key, storage.load(job.file_key))


def preview(job: ImportJob, mapping: dict):
    """The first rows as they would be imported, and their problems."""
    headers, rows = table_of(job)
    valid, errors = pipeline.validate(TARGETS[job.target], headers, rows[:PREVIEW_ROWS], mapping)
    return headers, rows[:PREVIEW_ROWS], valid, errors


def start(job: ImportJob, mapping: dict, policy: str, user_id: int) -> None:
    if policy not in POLICIES:
        raise ValueError(_("Choose what to do with rows that match existing records."))
    job.policy, job.status = policy, "running"
    pipeline.remember_mapping(TARGETS[job.target], user_id, mapping)
    db.session.commit()  # the job row must exist for the worker and for progress polling
    enqueue("app.imports.services.run_import_job", require_tenant().id, job.id, mapping, user_id)


def run_import_job(tenant_id: int, job_id: int, mapping: dict, user_id: int | None = None) -> None:
    """Validate everything, then write everything in one transaction (or nothing).

    Runs in app.job_scope: the user's language (the problems it lists are text),
    one commit at the end.
    """
    with job_scope(tenant_id, user_id=user_id, name=f"import {job_id}"):
        job = db.session.get(ImportJob, job_id)
        target = TARGETS[job.target]
        headers, rows = table_of(job)
        valid, errors = pipeline.validate(target, headers, rows, mapping)
        if errors:
            _finish(job, "invalid", errors=errors[:5000])
            return
        try:
            with db.session.begin_nested():  # a failure undoes the rows, not the job's outcome
                pipeline.write(target, job, valid, job.user_id)
            _finish(job, "done")
        except LimitReached as refusal:  # nothing was written; the job says why
            _finish(job, "failed", message=str(refusal))
        except Exception as exc:  # the data rolls back; the job records why
            log.exception("import job %s failed", job_id)
            _finish(job, "failed", message=str(exc).splitlines()[0][:500])


def _finish(job: ImportJob, status: str, errors=None, message=None) -> None:
    job.status, job.finished_at = status, sa.func.now()
    if errors is not None:
        job.errors = errors
    if message is not None:
        job.message = message
    db.session.flush()
