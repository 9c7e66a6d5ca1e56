"""The global search box: customers and contacts (and every module that registers)."""
import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user

from app.access.permissions import can, signed_in
from app.access.visibility import visible_to
from app.extensions import db
from app.search.builder import matching, registered

bp = Blueprint("search", __name__, url_prefix="/search")
PER_KIND = 10


@bp.get("/")
@signed_in
def results():
    query = (request.args.get("q") or "").strip()[:200]
    groups = []
    for spec in registered() if query else []:
        module = spec.kind + "s"
        match = matching(spec.model, query)
        if match is None or not can(current_user, module, "view"):
            continue
        where, rank = match
        rows = db.session.scalars(
            sa.select(spec.model).where(where, spec.model.deleted_at.is_(None),
                                        visible_to(current_user, spec.model))
            .order_by(rank.desc(), spec.model.id).limit(PER_KIND)).all()
        if rows:
            groups.append((spec.kind, rows))
    return render_template("search/results.html", query=query, groups=groups)
