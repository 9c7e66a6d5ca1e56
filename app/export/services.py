"""Asking for an export and finding its file; the building is app/export/builder.py."""
from pathlib import Path

import sqlalchemy as sa

from app.audit import services as audit
from tenants.files import export_dir
from app.export.models import ExportJob
from app.extensions import db
from app.jobs import enqueue_after_commit
from tenants.context import require_tenant

RECENT = 10


def request_export(user) -> ExportJob:
    """A queued export of every table; the job starts once this transaction commits."""
    job = ExportJob(requested_by=user.id)
    db.session.add(job)
    db.session.flush()
    audit.record("export_requested", "export_jobs", job.id, {"export": job.id})
    enqueue_after_commit("app.export.builder.build_export", require_tenant().id, job.id, user.id)
    return job


def recent_jobs() -> list[ExportJob]:
    return list(db.session.scalars(
        sa.select(ExportJob).order_by(ExportJob.id.desc()).limit(RECENT)
    ))


def pending_job() -> ExportJob | None:
    """An export still being built (only one at a time)."""
    return db.session.scalars(
        sa.select(ExportJob).where(ExportJob.status.in_(("queued", "running"))).limit(1)
    ).first()


def download_path(job: ExportJob) -> Path | None:
    """The finished export's file, or None if it is not ready or no longer there."""
    if job.status != "done" or not job.file_name:
        return None
    path = export_dir(require_tenant()) / job.file_name
    return path if path.is_file() else None


def record_download(job: ExportJob) -> None:
    audit.record("export_downloaded", "export_jobs", job.id, {"export": job.id})
