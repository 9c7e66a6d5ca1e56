"""Import pages: upload → map columns and preview → run → progress and error report."""
import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.downloads import handed_out
from app.extensions import db
from app.imports import pipeline, services
from app.imports.models import POLICIES, ImportJob
from app.imports.reading import UnreadableFile
from app.imports.targets import TARGETS

bp = Blueprint("imports", __name__, url_prefix="/import")


def _job(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


@bp.route("/<target>", methods=["GET", "POST"])
@requires("customers", "create")
def upload(target):
    if target not in TARGETS:
        abort(404)
    error = None
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            error = _("Choose a .csv or .xlsx file.")
        else:
            try:
                job = services.stage_upload(target, file.filename, file.read(), current_user.id)
                return redirect(url_for("workspace.imports.mapping", job_id=job.id))
            except UnreadableFile as problem:
                error = str(problem)
    return render_template("imports/upload.html", target=target, error=error), (
        422 if error else 200)


def _mapping_from(form, headers) -> dict:
    return {header: form.get(f"map-{index}", "") for index, header in enumerate(headers)}


@bp.route("/job/<int:job_id>/mapping", methods=["GET", "POST"])
@requires("customers", "create")
def mapping(job_id):
    job = _job(job_id)
    if job.status != "pending":
        return redirect(url_for("workspace.imports.status", job_id=job.id))
    target = TARGETS[job.target]
    headers, _rows = services.table_of(job)
    chosen = (_mapping_from(request.form, headers) if request.method == "POST"
              else pipeline.suggest_mapping(target, headers, current_user.id))
    policy = request.form.get("policy", "skip")
    if request.method == "POST" and request.form.get("go") == "1":
        if policy not in POLICIES:
            flash(_("Choose what to do with rows that match existing records."), "danger")
        else:
            services.start(job, chosen, policy, current_user.id)
            return redirect(url_for("workspace.imports.status", job_id=job.id))
    _headers, sample, valid, errors = services.preview(job, chosen)
    blank = target.full_form()(formdata=None, meta={"csrf": False})
    labels = {name: blank[name].label.text for name in target.all_columns()}
    return render_template("imports/mapping.html", job=job, target=target, headers=headers,
                           labels=labels,
                           mapping=chosen, sample=sample, valid=valid, errors=errors,
                           policy=policy, policies=POLICIES)


@bp.get("/job/<int:job_id>")
@requires("customers", "create")
def status(job_id):
    job = _job(job_id)
    template = "imports/_progress.html" if request.headers.get("HX-Request") else "imports/status.html"
    return render_template(template, job=job)


@bp.get("/job/<int:job_id>/errors.csv")
@requires("customers", "create")
def error_report(job_id):
    job = _job(job_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    writer.writerows(job.errors or [])
    handed_out("export", f"import-{job.id}-errors.csv")
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="import-{job.id}-errors.csv"'})
