"""The export job: builds the zip in the background, reports progress, mails the admin.

Runs on the job queue (app.jobs); commits its own progress so the page polling
it sees each step. The tables are read in one consistent snapshot.
"""
import logging
import secrets
import tempfile
import zipfile

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _

from app import mail
from app.auth.models import User
from app.export.models import ExportJob
from app.export.workbook import add_sheet, new_workbook
from app.extensions import db
from app.links import external_url
from tenants.backup import copy_out, snapshot, tenant_tables
from tenants.context import tenant_scope
from tenants.files import export_dir, files_under, upload_dir
from tenants.models import Tenant

log = logging.getLogger(__name__)


def build_export(tenant_id: int, job_id: int) -> None:
    """The job: build the export of job_id, then mail whoever asked for it."""
    tenant = db.session.get(Tenant, tenant_id)
    with tenant_scope(tenant):
        job = db.session.get(ExportJob, job_id)
        job.status = "running"
        db.session.commit()
        try:
            job.file_name = _write_zip(tenant, job)
            job.status, job.progress, job.finished_at = "done", 100, sa.func.now()
            db.session.commit()
        except Exception as exc:  # the page shows the failure; the log has the details
            log.exception("export %s of %s failed", job_id, tenant.slug)
            db.session.rollback()
            job = db.session.get(ExportJob, job_id)
            job.status, job.error, job.finished_at = "failed", str(exc)[:300], sa.func.now()
            db.session.commit()
        _notify(tenant, job)
        db.session.commit()


def _step(job: ExportJob, done: int, total: int) -> None:
    job.progress = min(99, done * 100 // total)
    db.session.commit()


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


def _notify(tenant: Tenant, job: ExportJob) -> None:
    user = db.session.get(User, job.requested_by)
    if user is None or not user.active:
        return
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base_url), force_locale(
            user.locale or tenant.locale):
        endpoint, args = ("workspace.export.download", {"job_id": job.id}) if (
            job.status == "done") else ("workspace.export.index", {})
        link = external_url(endpoint, tenant_slug=tenant.slug, **args)
        subject = _("Your data export is ready") if job.status == "done" else _(
            "Your data export failed")
        text = render_template("export/mail_ready.txt", user=user, job=job, link=link)
        mail.send(user.email, subject, text)
