"""The notifications centre's pages: my notifications, mark read, my preferences."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import signed_in
from app.notifications import EVENTS, services
from app.notifications.preferences import Choice, preferences_of, save_preferences

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread_badge():
    """The navigation's unread count: one indexed count per request, and only when shown."""
    def unread_notifications() -> int:
        return services.unread_count(current_user) if current_user.is_authenticated else 0
    return {"unread_notifications": unread_notifications}


@bp.get("")
@signed_in
def index():
    shown, older = services.page_for(current_user, request.args.get("before", type=int))
    return render_template("notifications/index.html", notifications=shown, older=older)


@bp.post("/<int:notification_id>/read")
@signed_in
def mark_read(notification_id):
    """Mark one read; with open=1, go on to the record it is about."""
    notification = services.mark_read(current_user, notification_id)
    if notification is None:
        abort(404)
    if request.form.get("open"):
        url = services.shown(notification).url
        if url:
            return redirect(url)
    return redirect(url_for("workspace.notifications.index"))


@bp.post("/read-all")
@signed_in
def mark_all_read():
    services.mark_all_read(current_user)
    flash(_("All notifications are marked read."), "success")
    return redirect(url_for("workspace.notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@signed_in
def preferences():
    if request.method == "POST":
        save_preferences(current_user.id, {
            event: Choice(in_app=f"in_app-{event}" in request.form,
                          email=f"email-{event}" in request.form) for event in EVENTS})
        flash(_("Your notification preferences are saved."), "success")
        return redirect(url_for("workspace.notifications.preferences"))
    return render_template("notifications/preferences.html", events=EVENTS,
                           choices=preferences_of(current_user.id))
