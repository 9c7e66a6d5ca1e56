"""Branding: the admin's page, and the tenant's stylesheet and logo for every page."""
from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, send_file,
                   url_for)
from flask_babel import gettext as _

from app.branding import services
from app.branding.forms import BrandingForm
from app.branding.models import TEXT_FIELDS
from app.access.permissions import public
from app.tenant_admin import admin_required
from billing.limits import LimitReached

bp = Blueprint("branding", __name__)


@bp.route("/admin/branding", methods=["GET", "POST"])
@admin_required
def edit():
    branding = services.get_branding()
    form, limit = BrandingForm(obj=branding), None
    if form.validate_on_submit():
        try:
            services.save_branding(
                form.company_name.data or "", form.primary_color.data,
                {name: getattr(form, name).data for name in TEXT_FIELDS},
                logo=form.logo_data, remove_logo=form.remove_logo.data,
            )
        except LimitReached as error:
            limit = error
        else:
            flash(_("Branding saved."), "success")
            return redirect(url_for("workspace.branding.edit"))
    status = 422 if form.is_submitted() else 200
    return render_template("branding/edit.html", form=form, branding=branding, limit=limit), status


@bp.app_context_processor
def branding_helper():
    """tenant_branding() in templates: the current tenant's branding, loaded once per request."""
    def tenant_branding():
        if "tenant_branding" not in g:
            g.tenant_branding = services.get_branding()
        return g.tenant_branding

    return {"tenant_branding": tenant_branding}


@bp.get("/branding.css")
@public
def stylesheet():
    response = Response(services.stylesheet(services.get_branding()), mimetype="text/css")
    response.cache_control.max_age = 300
    return response


@bp.get("/branding/logo")
@public
def logo():
    branding = services.get_branding()
    path = services.logo_path(branding)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=branding.logo_type, max_age=86400,
                         download_name=f"logo{path.suffix}")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
