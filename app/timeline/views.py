"""Comments, following and the mention autocomplete on any record (/t/<slug>/records/…).

Every route loads the record through may_see(), so a record the user may not see (another
tenant's id, another rep's deal, a module their role does not open) is a 404 like one
that does not exist. Seeing a record is enough to comment on it and follow it.
"""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import signed_in
from app.extensions import db
from app.records import record_url
from app.timeline import comments, following
from app.timeline.models import TimelineEntry

bp = Blueprint("activity", __name__, url_prefix="/records")


def _subject_or_404(subject_type: str, subject_id: int) -> tuple[str, int]:
    if not following.may_see(current_user, subject_type, subject_id):
        abort(404)
    return subject_type, subject_id


def _comment_or_404(entry_id: int) -> TimelineEntry:
    entry = db.session.get(TimelineEntry, entry_id)
    if entry is None or entry.kind != "comment" or entry.subject_type is None:
        abort(404)
    _subject_or_404(entry.subject_type, entry.subject_id)
    return entry


def _back(subject) -> str:
    return record_url(*subject) + "#activity"


def _form_again(subject, body, error, entry=None):
    """The comment with its error in place: what was typed is kept."""
    return render_template("timeline/comment_form.html", subject=subject, body=body,
                           error=error, entry=entry, back=_back(subject),
                           max_length=comments.MAX_LENGTH), 422


@bp.post("/<subject_type>/<int:subject_id>/comments")
@signed_in
def add_comment(subject_type, subject_id):
    subject = _subject_or_404(subject_type, subject_id)
    body = request.form.get("body", "")
    try:
        comments.add_comment(subject, body, current_user)
    except comments.CommentError as error:
        return _form_again(subject, body, error.message)
    flash(_("Comment added."), "success")
    return redirect(_back(subject))


@bp.post("/comments/<int:entry_id>/edit")
@signed_in
def edit_comment(entry_id):
    entry = _comment_or_404(entry_id)
    subject = (entry.subject_type, entry.subject_id)
    body = request.form.get("body", "")
    try:
        comments.edit_comment(entry, body, current_user)
    except comments.CommentError as error:
        return _form_again(subject, body, error.message, entry)
    flash(_("Comment saved."), "success")
    return redirect(_back(subject))


@bp.post("/comments/<int:entry_id>/delete")
@signed_in
def delete_comment(entry_id):
    entry = _comment_or_404(entry_id)
    subject = (entry.subject_type, entry.subject_id)
    try:
        comments.delete_comment(entry, current_user)
    except comments.CommentError as error:
        flash(str(error.message), "danger")
        return redirect(_back(subject)), 303
    flash(_("Comment deleted."), "success")
    return redirect(_back(subject))


@bp.post("/<subject_type>/<int:subject_id>/follow")
@signed_in
def follow(subject_type, subject_id):
    subject = _subject_or_404(subject_type, subject_id)
    following.follow(*subject, current_user.id)
    flash(_("You follow this record: you will be told of its comments and activity."),
          "success")
    return redirect(_back(subject))


@bp.post("/<subject_type>/<int:subject_id>/unfollow")
@signed_in
def unfollow(subject_type, subject_id):
    subject = _subject_or_404(subject_type, subject_id)
    following.unfollow(*subject, current_user.id)
    flash(_("You no longer follow this record."), "success")
    return redirect(_back(subject))


@bp.get("/<subject_type>/<int:subject_id>/mentionable")
@signed_in
def mentionable(subject_type, subject_id):
    """JSON for the @ autocomplete: active users who may see this record."""
    subject = _subject_or_404(subject_type, subject_id)
    users = comments.mentionable(subject, request.args.get("q", ""))
    return jsonify([{"id": user.id, "name": user.name, "token": comments.mention_token(user)}
                    for user in users])
