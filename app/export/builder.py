"""The export job: builds the zip in the background, reports progress, mails the admin.

Runs on the job queue (app.jobs) inside app.job_scope, which commits the outcome;
progress is written in transactions of its own so the page polling it sees each
step. The tables are read in one consistent snapshot.
"""
import logging
import secrets
import tempfile
import zipfile

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from app import mail
from app.auth.models import User
from app.export.models import ExportJob
from app.export.workbook import add_sheet, new_workbook
from app.extensions import db
from app.job_scope import job_scope
from app.links import external_url
from app.transactions import own_transaction
from tenants.backup import copy_out, snapshot, tenant_tables
from tenants.files import export_dir, files_under, upload_dir
from tenants.models import Tenant

log = logging.getLogger(__name__)


def build_export(tenant_id: int, job_id: int, user_id: int | None = None) -> None:
    """The job: build the export of job_id, then mail whoever asked for it, in their language."""
    with job_scope(tenant_id, user_id=user_id, name=f"export {job_id}"):
        tenant = db.session.get(Tenant, tenant_id)
        _progress(job_id, status="running", progress=0)
        job = db.session.get(ExportJob, job_id)
        try:
            job.file_name = _write_zip(tenant, job)
            job.status, job.progress, job.finished_at = "done", 100, sa.func.now()
        except Exception as exc:  # the page shows the failure; the log has the details
            log.exception("export %s of %s failed", job_id, tenant.slug)
            job.status, job.error, job.finished_at = "failed", str(exc)[:300], sa.func.now()
        _notify(job)


def _progress(job_id: int, **values) -> None:
    """Committed at once, so the page polling the job sees each step."""
    table = ExportJob.__table__
    with own_transaction() as connection:
        connection.execute(sa.update(table).where(table.c.id == job_id).values(**values))


def _step(job: ExportJob, done: int, total: int) -> None:
    _progress(job.id, progress=min(99, done * 100 // total))


def _write_zip(tenant: Tenant, job: ExportJob) -> str:
    folder = export_dir(tenant)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"export-{job.id}-{secrets.token_hex(8)}.zip"
    tables, workbook = tenant_tables(), new_workbook()
    total = 2 * len(tables) + 1
    with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
        with snapshot(tenant) as connection:
            for n, table in enumerate(tables, 1):
                with archive.open(f"csv/{table.name}.csv", "w") as out:
                    copy_out(connection, table, out, header=True)
                add_sheet(workbook, connection, table)
                _step(job, 2 * n, total)
        with tempfile.TemporaryFile() as xlsx:
            workbook.save(xlsx)
            xlsx.seek(0)
            archive.writestr(f"{tenant.slug}.xlsx", xlsx.read())
        for relative, path in files_under(upload_dir(tenant)):
            archive.write(path, f"attachments/{relative}")
    return name


def _notify(job: ExportJob) -> None:
    user = db.session.get(User, job.requested_by)
    if user is None or not user.active:
        return
    endpoint, args = ("workspace.export.download", {"job_id": job.id}) if (
        job.status == "done") else ("workspace.export.index", {})
    link = external_url(endpoint, **args)
    subject = _("Your data export is ready") if job.status == "done" else _(
        "Your data export failed")
    text = render_template("export/mail_ready.txt", user=user, job=job, link=link)
    mail.send(user.email, subject, text)
