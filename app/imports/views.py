"""Import pages: upload → (sheet) → map columns and preview → run → progress and error report.

Every page checks the target's own module: importing needs its "create", the update
policy its "edit" (services.check_allowed).
"""
import csv
import io

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import can, signed_in
from app.downloads import handed_out
from app.extensions import db
from app.imports import pipeline, services
from app.imports.models import POLICIES, ImportJob
from app.imports.reading import UnreadableFile
from app.imports.targets import TARGETS
from app.phones import PHONE_REGIONS, default_region

bp = Blueprint("imports", __name__, url_prefix="/import")


def _may_import_something() -> None:
    """403 first for a role that may import nothing, whatever the URL names."""
    if not any(can(current_user, t.module, "create") for t in TARGETS.values()):
        abort(403)


def _target(key: str):
    _may_import_something()
    target = TARGETS.get(key)
    if target is None:
        abort(404)
    if not can(current_user, target.module, "create"):
        abort(403)
    return target


def _job(job_id: int) -> ImportJob:
    _may_import_something()
    job = db.session.get(ImportJob, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    _target(job.target)
    return job


@bp.route("/<target>", methods=["GET", "POST"])
@signed_in
def upload(target):
    target = _target(target)
    error = None
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            error = _("Choose a .csv or .xlsx file.")
        else:
            try:
                job = services.stage_upload(target.key, file.filename, file.read(), current_user.id)
                return redirect(url_for("workspace.imports.mapping", job_id=job.id))
            except UnreadableFile as problem:
                error = str(problem)
    return render_template("imports/upload.html", target=target, error=error), (
        422 if error else 200)


def _mapping_from(form, headers) -> dict:
    return {header: form.get(f"map-{index}", "") for index, header in enumerate(headers)}


@bp.route("/job/<int:job_id>/sheet", methods=["GET", "POST"])
@signed_in
def sheet(job_id):
    job = _job(job_id)
    error = None
    if request.method == "POST":
        try:
            services.choose_sheet(job, request.form.get("sheet", ""))
            return redirect(url_for("workspace.imports.mapping", job_id=job.id))
        except (UnreadableFile, services.ImportRefused) as problem:
            error = str(problem)
    return render_template("imports/sheet.html", job=job, error=error), 422 if error else 200


@bp.route("/job/<int:job_id>/mapping", methods=["GET", "POST"])
@signed_in
def mapping(job_id):
    job = _job(job_id)
    if job.status != "pending":
        return redirect(url_for("workspace.imports.status", job_id=job.id))
    if services.needs_sheet(job):
        return redirect(url_for("workspace.imports.sheet", job_id=job.id))
    target, headers = TARGETS[job.target], job.headers
    posted = request.method == "POST"
    chosen = (_mapping_from(request.form, headers) if posted
              else pipeline.suggest_mapping(target, headers, current_user.id, current_user))
    policy = request.form.get("policy", "skip")
    region = request.form.get("region") or default_region()
    problem = None
    try:
        if posted:
            services.check_allowed(target, current_user, policy, chosen)
            if region not in PHONE_REGIONS:
                raise services.ImportRefused(_("Choose a country for phone numbers."))
        if posted and request.form.get("go") == "1":
            services.start(job, chosen, policy, current_user.id, region, in_thread=True)
            return redirect(url_for("workspace.imports.status", job_id=job.id))
    except services.ImportRefused as refusal:
        problem = str(refusal)
        region = region if region in PHONE_REGIONS else default_region()
        chosen = {h: f if f in target.all_columns(current_user) else "" for h, f in chosen.items()}
    _headers, sample, valid, errors = services.preview(job, chosen, region, current_user)
    return render_template(
        "imports/mapping.html", job=job, target=target, headers=headers,
        labels=_labels(target), mapping=chosen, sample=sample, valid=valid, errors=errors,
        policy=policy, policies=_policies(target), problem=problem, region=region,
        regions=PHONE_REGIONS), 422 if problem else 200


def _labels(target) -> dict:
    blank = target.full_form()(formdata=None, meta={"csrf": False})
    return {name: blank[name].label.text for name in target.all_columns(current_user)}


def _policies(target) -> list[str]:
    """The policies this user may choose: "update" needs the module's edit right."""
    return [p for p in POLICIES if p != "update" or can(current_user, target.module, "edit")]


@bp.get("/job/<int:job_id>")
@signed_in
def status(job_id):
    job = _job(job_id)
    template = "imports/_progress.html" if request.headers.get("HX-Request") else "imports/status.html"
    return render_template(template, job=job, target=TARGETS[job.target])


@bp.get("/job/<int:job_id>/errors.csv")
@signed_in
def error_report(job_id):
    job = _job(job_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    writer.writerows(job.errors or [])
    handed_out("export", f"import-{job.id}-errors.csv")
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="import-{job.id}-errors.csv"'})
