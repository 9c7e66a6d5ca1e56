"""Saving, opening and deleting saved list views."""
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import signed_in
from app.extensions import db
from app.lists.models import SavedView

bp = Blueprint("lists", __name__, url_prefix="/lists")

# module -> its list endpoint. A module with a list page adds itself here.
LIST_ENDPOINTS = {
    "customers": "workspace.customers.index",
    "contacts": "workspace.contacts.index",
    "orders": "workspace.orders.index",
    "quotes": "workspace.quotes.index",
    "products": "workspace.products.index",
    "competitors": "workspace.competitors.index",
    "tasks": "workspace.tasks.index",
}


def clean_query(text: str | None) -> str:
    """A list's query string re-encoded from its pairs: CR/LF and other raw bytes come out
    percent-encoded, so the redirect's Location header can always be written."""
    return urlencode(parse_qsl(text or "", keep_blank_values=True))


def _visible_view(view_id: int) -> SavedView:
    view = db.session.get(SavedView, view_id)
    if view is None or not (view.user_id == current_user.id or (
            view.shared_with_unit_id and view.shared_with_unit_id == current_user.unit_id)):
        abort(404)
    return view


@bp.post("/<module>/views")
@signed_in
def save(module):
    if module not in LIST_ENDPOINTS:
        abort(404)
    name = (request.form.get("name") or "").strip()[:80]
    query = clean_query(request.form.get("query"))
    target = url_for(LIST_ENDPOINTS[module]) + "?" + query
    if not name:
        flash(_("Give the view a name."), "danger")
        return redirect(target)
    shared = request.form.get("share") == "1" and current_user.unit_id is not None
    view = SavedView(module=module, name=name, query=query,
                     user_id=current_user.id,
                     shared_with_unit_id=current_user.unit_id if shared else None)
    db.session.add(view)
    flash(_("View “%(name)s” saved.", name=name), "success")
    return redirect(target)


@bp.get("/views/<int:view_id>")
@signed_in
def open_view(view_id):
    view = _visible_view(view_id)
    # Views saved before queries were cleaned may still hold raw CR/LF.
    return redirect(url_for(LIST_ENDPOINTS[view.module]) + "?" + clean_query(view.query))


@bp.post("/views/<int:view_id>/delete")
@signed_in
def delete(view_id):
    view = _visible_view(view_id)
    if view.user_id != current_user.id:
        abort(403)
    module = view.module
    db.session.execute(sa.delete(SavedView).where(SavedView.id == view.id))
    flash(_("View deleted."), "success")
    return redirect(url_for(LIST_ENDPOINTS[module]))
