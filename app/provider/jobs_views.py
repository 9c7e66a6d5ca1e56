"""Provider console: failed background work across every workspace, with Retry."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.provider import console
from app.provider.access import allowed, staff_required
from app.provider.blueprint import bp
from app.scheduler import runlog, services
from app.scheduler.labels import job_label
from tenants.models import Tenant


@bp.get("/jobs")
@staff_required
def jobs():
    runs = runlog.runs(failed_only=True, limit=200)
    ids = {run.tenant_id for run in runs if run.tenant_id is not None}
    slugs = dict(db.session.execute(sa.select(Tenant.id, Tenant.slug).where(Tenant.id.in_(ids))).all()) if ids else {}
    may_retry = allowed("retry_jobs")
    return render_template("provider/jobs.html", runs=runs, tenant_slugs=slugs, show_tenant=True,
                           job_label=job_label, can_retry=lambda run: may_retry and services.can_retry(run),
                           retry_url=lambda run: url_for("provider.retry_job", run_id=run.id))


@bp.post("/jobs/<int:run_id>/retry")
@staff_required
def retry_job(run_id):
    if not allowed("retry_jobs"):
        abort(403)
    run = runlog.run_of(run_id)
    if run is None:
        abort(404)
    if services.retry(run):
        console.audit(current_user, "retry_job", run.tenant_id, f"{run.name} run {run.id}")
        flash(_("Queued to run again."), "success")
    else:
        flash(_("This run was already retried."), "info")
    return redirect(url_for("provider.jobs"))
