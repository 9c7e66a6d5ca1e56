"""Export all my data: ask for it, watch its progress, download it (admins only)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.export import services
from app.export.models import ExportJob
from app.extensions import db
from app.tenant_admin import admin_required

bp = Blueprint("export", __name__, url_prefix="/admin/export")


@bp.get("/")
@admin_required
def index():
    return render_template("export/index.html", jobs=services.recent_jobs())


@bp.post("/")
@admin_required
def start():
    if services.pending_job() is not None:
        flash(_("An export is already being built. Please wait for it to finish."), "warning")
    else:
        services.request_export(current_user)
        flash(_("Your export is being built. We will e-mail you when it is ready."), "info")
    return redirect(url_for("workspace.export.index"))


@bp.get("/<int:job_id>/status")
@admin_required
def status(job_id):
    return render_template("export/_job.html", job=db.get_or_404(ExportJob, job_id))


@bp.get("/<int:job_id>/download")
@admin_required
def download(job_id):
    job = db.get_or_404(ExportJob, job_id)
    path = services.download_path(job)
    if path is None:
        abort(404)
    services.record_download(job)
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"{g.tenant.slug}-export-{job.id}.zip")
