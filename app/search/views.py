"""The global search box: every kind registered with a label (customers, contacts, products, …)."""
import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user

from app.access.permissions import can, signed_in
from app.extensions import db
from app.search.builder import matching, registered
from billing.features import endpoint_in_plan

bp = Blueprint("search", __name__, url_prefix="/search")
PER_KIND = 10


def _results(spec, query: str) -> list:
    match = matching(spec.model, query)
    if match is None or not can(current_user, spec.module, "view"):
        return []
    where, rank = match
    stmt = sa.select(spec.model).where(where)
    if spec.visible is not None:
        stmt = stmt.where(spec.visible(current_user))
    key = spec.model.__mapper__.primary_key[0]
    return list(db.session.scalars(stmt.order_by(rank.desc(), key).limit(PER_KIND)))


@bp.get("/")
@signed_in
def results():
    query = (request.args.get("q") or "").strip()[:200]
    groups = []
    for spec in registered() if query else []:
        if spec.label is not None:
            rows = _results(spec, query)
            # a kind whose pages the plan does not include is not offered (its links would be refused)
            if rows and endpoint_in_plan(spec.link(rows[0])[0]):
                groups.append((spec, rows))
    return render_template("search/results.html", query=query, groups=groups)
