"""Announcements: the admin's list and form, and every reader's "read it" button."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import signed_in
from app.announcements import services
from app.announcements.forms import EVERYONE, AnnouncementForm
from app.announcements.models import Announcement
from app.extensions import db
from app.org.models import Unit
from app.pagination import keyset_page
from app.tenant_admin import admin_required

bp = Blueprint("announcements", __name__, url_prefix="/announcements")
PER_PAGE = 50


@bp.get("")
@admin_required
def index():
    page = keyset_page(db.session, db.select(Announcement), Announcement.id,
                       request.args.get("before", type=int), PER_PAGE)
    units = dict(db.session.execute(db.select(Unit.id, Unit.name)).all())
    return render_template("announcements/index.html", page=page, units=units)


def _save(form: AnnouncementForm, announcement: Announcement | None):
    if form.validate_on_submit():
        try:
            if announcement is None:
                services.post(form.title.data, form.body.data, form.unit_id, current_user.id)
            else:
                services.edit(announcement, form.title.data, form.body.data, form.unit_id)
        except services.AnnouncementError as error:
            form.title.errors.append(str(error))
        else:
            flash(_("The announcement is saved."), "success")
            return redirect(url_for("workspace.announcements.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("announcements/form.html", form=form, announcement=announcement), status


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    return _save(AnnouncementForm(), None)


@bp.route("/<int:announcement_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(announcement_id):
    announcement = db.session.get(Announcement, announcement_id) or abort(404)
    form = AnnouncementForm(obj=announcement, unit=announcement.unit_id or EVERYONE)
    return _save(form, announcement)


@bp.post("/<int:announcement_id>/delete")
@admin_required
def delete(announcement_id):
    services.remove(db.session.get(Announcement, announcement_id) or abort(404))
    flash(_("The announcement is deleted."), "success")
    return redirect(url_for("workspace.announcements.index"))


@bp.post("/<int:announcement_id>/read")
@signed_in
def dismiss(announcement_id):
    """The reader has read it: it leaves their "My day"."""
    announcement = services.meant_for(current_user, announcement_id) or abort(404)
    services.dismiss(current_user, announcement)
    return redirect(url_for("workspace.myday.home"))
