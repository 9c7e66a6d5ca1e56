"""Bulk actions and export on the customer list (routes on the customers blueprint)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.access.permissions import can, requires
from app.auth.models import User
from app.customers import services
from app.customers.listing import customer_list, live_customers_query
from app.customers.models import Customer
from app.customers.blueprint import bp
from app.extensions import db
from app.lists.export import export_response, requested_format
from app.lists.spec import apply_filters, sort_of
from app.lists.views import clean_query

# An export is built in memory in one request: this many rows at most (about 60 MB of
# Excel). A larger list is refused with a message, never cut short without a word.
EXPORT_LIMIT = 200_000


def _selected_ids() -> list[int]:
    """The selected customers this user may change (a read-only share only shows one)."""
    from app.access.visibility import visible_to

    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]
    visible = db.session.scalars(
        live_customers_query(current_user).with_only_columns(Customer.id)
        .where(Customer.id.in_(ids), visible_to(current_user, Customer, edit=True))).all()
    return list(visible)


@bp.post("/bulk")
@requires("customers", "edit")
def bulk():
    action, ids = request.form.get("action"), _selected_ids()
    back = url_for("workspace.customers.index") + "?" + clean_query(request.form.get("query"))
    if not ids:
        flash(_("Select at least one customer."), "warning")
        return redirect(back)
    if action == "assign":
        owner_id = request.form.get("owner_id", type=int)
        owner = db.session.get(User, owner_id) if owner_id else None
        if owner is None or not owner.active:
            flash(_("Choose an active user to assign the customers to."), "danger")
            return redirect(back)
        count = services.reassign(ids, owner.id, current_user.id)
        flash(ngettext("%(num)d customer assigned to %(name)s.",
                       "%(num)d customers assigned to %(name)s.", count, name=owner.name), "success")
    elif action == "tag":
        tags = [t.strip() for t in (request.form.get("tag") or "").replace("，", ",").split(",")
                if t.strip()]
        if not tags:
            flash(_("Type the tag to add."), "danger")
            return redirect(back)
        count = services.add_tags(ids, tags)
        flash(ngettext("Tagged %(num)d customer.", "Tagged %(num)d customers.", count), "success")
    elif action == "delete":
        if not can(current_user, "customers", "delete"):
            abort(403)
        if request.form.get("confirmed") != "1":
            customers = db.session.scalars(sa.select(Customer).where(Customer.id.in_(ids))).all()
            return render_template("customers/confirm_delete.html", customers=customers,
                                   query=request.form.get("query") or "")
        count = services.soft_delete(ids)
        flash(ngettext("%(num)d customer deleted. Its history is kept.",
                       "%(num)d customers deleted. Their history is kept.", count), "success")
    else:
        flash(_("Choose an action."), "warning")
    return redirect(back)


@bp.get("/export")
@requires("customers", "export")
def export():
    fmt = requested_format()
    spec = customer_list()
    stmt, _problems, _active = apply_filters(spec, live_customers_query(current_user)
                                             .options(selectinload(Customer.owner)), request.args)
    _key, sort_expr, descending = sort_of(spec, request.args.get("sort"))
    stmt = stmt.order_by(sort_expr.desc() if descending else sort_expr, Customer.id)
    over = db.session.scalar(sa.select(sa.func.count()).select_from(
        stmt.with_only_columns(Customer.id).order_by(None).limit(EXPORT_LIMIT + 1).subquery()))
    if over > EXPORT_LIMIT:
        flash(_("This list has more than %(max)s customers and an export holds at most "
                "%(max)s. Narrow the filters (for example by date or sales rep) and export "
                "it in parts.", max=f"{EXPORT_LIMIT:,}"), "warning")
        args = request.args.to_dict(flat=False)
        args.pop("format", None)
        return redirect(url_for("workspace.customers.index", **args))
    columns = spec.column_keys(request.args.getlist("col"))
    return export_response(fmt, "customers", columns, db.session.scalars(stmt))
