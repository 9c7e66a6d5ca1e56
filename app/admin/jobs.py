"""Admin page of the background work of this workspace: recent runs, failures, Retry."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access.permissions import requires
from app.admin.blueprint import bp
from app.scheduler import runlog, services, wakeups
from app.scheduler.labels import job_label
from tenants.context import require_tenant


@bp.get("/jobs")
@requires("admin", "admin")
def jobs():
    failed_only = request.args.get("failed") == "1"
    tenant_id = require_tenant().id
    return render_template("admin/jobs.html", runs=runlog.runs(tenant_id, failed_only=failed_only),
                           stopped=[w for w in wakeups.of_tenant(tenant_id) if w.failed_at],
                           failed_only=failed_only, can_retry=services.can_retry, job_label=job_label,
                           retry_url=lambda run: url_for("workspace.admin.retry_job", run_id=run.id),
                           show_tenant=False)


@bp.post("/jobs/<int:run_id>/retry")
@requires("admin", "admin")
def retry_job(run_id):
    run = runlog.run_of(run_id, require_tenant().id)
    if run is None:
        abort(404)
    if services.retry(run):
        flash(_("Queued to run again."), "success")
    else:
        flash(_("This run was already retried."), "info")
    return redirect(url_for("workspace.admin.jobs"))
