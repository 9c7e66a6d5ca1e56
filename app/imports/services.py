"""Staging an upload, previewing it, and running the import as a job."""
import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from app import storage
from app.access.permissions import can
from app.extensions import db
from app.imports import pipeline
from app.imports.models import POLICIES, ImportJob
from app.imports.reading import read_table, sheet_names
from app.imports.targets import TARGETS
from app.job_scope import job_scope
from app.jobs import enqueue
from app.phones import PHONE_REGIONS, default_region
from billing.limits import LimitReached
from tenants.context import require_tenant

PREVIEW_ROWS = 10
ABANDONED_AFTER = sa.text("interval '1 day'")
# A background import may run this long: a base plus a generous time per row (100,000
# rows take about 1.5 s per 1,000 on a loaded machine; see docs/PERFORMANCE.md).
JOB_TIMEOUT_BASE_S = 300
JOB_TIMEOUT_PER_ROW_S = 0.006
log = logging.getLogger(__name__)


class ImportRefused(ValueError):
    """What the user asked for cannot start (policy, permission, mapping): the message says why."""


def stage_upload(target_key: str, filename: str, data: bytes, user_id: int) -> ImportJob:
    """Read the file once (UnreadableFile if we cannot), keep it, and open a pending job.
    A workbook with several sheets waits for choose_sheet()."""
    _forget_abandoned()
    sheets = sheet_names(filename, data)
    job = ImportJob(target=target_key, filename=filename[:255], policy="skip", user_id=user_id,
                    errors=[], sheets=sheets, headers=[], sample=[], total_rows=0,
                    file_key=storage.save("imports", data, suffix=_suffix(filename)))
    # The file is only kept if the job is: a refused or failed upload leaves nothing behind.
    storage.delete_after_rollback(job.file_key)
    if len(sheets) <= 1:
        _read_sheet(job, data, sheets[0] if sheets else None)
    db.session.add(job)
    db.session.flush()
    return job


def _forget_abandoned() -> None:
    """Uploads never started within a day end, and their files go: they count against
    the plan's storage."""
    stale = db.session.scalars(sa.select(ImportJob).where(
        ImportJob.status == "pending", ImportJob.created_at < sa.func.now() - ABANDONED_AFTER))
    for job in stale:
        job.status, job.finished_at = "failed", sa.func.now()
        job.message = _("This upload was never started; its file was deleted.")
        storage.delete_after_commit(job.file_key)


def choose_sheet(job: ImportJob, sheet: str) -> None:
    if sheet not in job.sheets:
        raise ImportRefused(_("Choose one of the workbook's sheets."))
    _read_sheet(job, storage.load(job.file_key), sheet)
    db.session.flush()


def _read_sheet(job: ImportJob, data: bytes, sheet: str | None) -> None:
    headers, rows = read_table(job.filename, data, sheet)
    job.sheet, job.headers, job.total_rows = sheet, headers, len(rows)
    job.sample = rows[:PREVIEW_ROWS]


def needs_sheet(job: ImportJob) -> bool:
    return len(job.sheets) > 1 and job.sheet is None


def _suffix(filename: str) -> str:
    return ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"


def table_of(job: ImportJob):
    """The whole table of the job's file (its chosen sheet): what the import runs on."""
    return read_table(job.filename, storage.load(job.file_key), job.sheet)


def preview(job: ImportJob, mapping: dict, region: str | None = None, user=None):
    """The first rows as they would be imported, and their problems (no file is read)."""
    valid, errors = pipeline.validate(TARGETS[job.target], job.headers, job.sample, mapping,
                                      region or default_region(), user=user)
    return job.headers, job.sample, valid, errors


def check_allowed(target, user, policy: str, mapping: dict) -> None:
    """ImportRefused unless user may create this target's records (and edit them, for
    the update policy) and may import every mapped column."""
    if policy not in POLICIES:
        raise ImportRefused(_("Choose what to do with rows that match existing records."))
    if not can(user, target.module, "create"):
        raise ImportRefused(_("Your role may not add these records."))
    if policy == "update" and not can(user, target.module, "edit"):
        raise ImportRefused(_("Your role may not change existing records: choose to skip them."))
    if pipeline.unknown_fields(target, mapping, user):
        raise ImportRefused(_("Choose a field from the list for every column."))


def start(job: ImportJob, mapping: dict, policy: str, user_id: int, region: str | None = None,
          in_thread: bool = False) -> None:
    """Start the import in the background (RQ), else now, or (in_thread: from a page) in a
    thread, so the page answers at once and shows progress. The job carries the user's
    language, so its error report is in it whichever road it takes."""
    from app.auth.models import User

    target = TARGETS[job.target]
    check_allowed(target, db.session.get(User, user_id), policy, mapping)
    if region is not None and region not in PHONE_REGIONS:
        raise ImportRefused(_("Choose a country for phone numbers."))
    job.policy, job.status, job.region = policy, "running", region or default_region()
    pipeline.remember_mapping(target, user_id, mapping)
    db.session.commit()  # the job row must exist for the worker and for progress polling
    timeout = int(JOB_TIMEOUT_BASE_S + JOB_TIMEOUT_PER_ROW_S * job.total_rows)
    enqueue("app.imports.services.run_import_job", require_tenant().id, job.id, mapping,
            user_id, job_timeout=timeout, in_thread=in_thread)


def run_import_job(tenant_id: int, job_id: int, mapping: dict, user_id: int | None = None) -> None:
    """Validate everything, then write everything in one savepoint (or nothing).

    Runs in app.job_scope: the user's language (the problems it lists are text), one
    commit at the end. Whatever happens, the job ends (never stays "running") and its
    file is deleted.
    """
    with job_scope(tenant_id, user_id=user_id, name=f"import {job_id}"):
        job = db.session.get(ImportJob, job_id)
        try:
            with db.session.begin_nested():  # a failure undoes the rows, not the job's outcome
                _run(job, mapping)
        except LimitReached as refusal:  # nothing was written; the job says why
            _finish(job, "failed", message=str(refusal))
        except Exception:  # the data rolls back; the user gets no database text
            log.exception("import job %s failed", job_id)
            _finish(job, "failed", message=_(
                "Something went wrong on our side (reference %(ref)s). Try again later.",
                ref=f"import-{job_id}"))


def _run(job: ImportJob, mapping: dict) -> None:
    from app.auth.models import User

    target, actor = TARGETS[job.target], db.session.get(User, job.user_id)
    pipeline.progress(job.id, stage="check", processed_rows=0)
    headers, rows = table_of(job)
    valid, errors = pipeline.validate(
        target, headers, rows, mapping, job.region, user=actor,
        on_progress=lambda done: pipeline.progress(job.id, processed_rows=done))
    if errors:
        _finish(job, "invalid", errors=errors[:5000])
        return
    pipeline.progress(job.id, stage="write", processed_rows=0)
    context = pipeline.ImportContext(actor, mapping.values())
    pipeline.write(target, job, valid, context)
    _finish(job, "done")


def _finish(job: ImportJob, status: str, errors=None, message=None) -> None:
    job.status, job.finished_at, job.stage = status, sa.func.now(), None
    if errors is not None:
        job.errors = errors
    if message is not None:
        job.message = message
    storage.delete_after_commit(job.file_key)  # its file counted against the plan's storage
    db.session.flush()  # app.job_scope commits
