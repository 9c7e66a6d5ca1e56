"""Rendering any module's list page from its ListSpec: filters, sort, columns, keyset pages."""
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.lists.models import SavedView
from app.lists.spec import ListSpec, apply_filters, sort_of
from app.pagination import capped_count, sorted_page

PAGE_SIZE = 50


def flash_limit(limit) -> None:
    """A plan limit's message above the form the user is filling in, with the upgrade link."""
    from markupsafe import Markup, escape
    from flask import url_for

    link = url_for("workspace.billing.overview")
    flash(Markup(f'{escape(str(limit))} <a href="{escape(link)}">{escape(_("Upgrade"))}</a>'),
          "warning")


def views_for(module: str, user) -> list[SavedView]:
    """The user's own saved views of module, and those shared with the user's unit."""
    shared = SavedView.shared_with_unit_id == user.unit_id if user.unit_id else sa.false()
    return list(db.session.scalars(
        sa.select(SavedView).where(SavedView.module == module,
                                   sa.or_(SavedView.user_id == user.id, shared))
        .order_by(SavedView.name)))


def query_without_cursor(args) -> str:
    return urlencode([(k, v) for k, v in args.items(multi=True) if k not in ("after", "view")])


def list_page(spec: ListSpec, stmt: sa.Select, template: str, module: str, **extra):
    args = request.args
    stmt, problems, active = apply_filters(spec, stmt, args)
    for label in problems:
        flash(_("The filter “%(label)s” could not be read and was ignored.", label=label), "warning")
    sort_key, sort_expr, descending = sort_of(spec, args.get("sort"))
    page = sorted_page(db.session, stmt, sort_expr, spec.model.id, descending,
                       args.get("after"), PAGE_SIZE)
    count, more = capped_count(db.session, stmt)
    columns = spec.column_keys(args.getlist("col"))
    return render_template(
        template, spec=spec, page=page, count=count, more=more, columns=columns,
        sort=sort_key, active=active, query=query_without_cursor(args),
        saved_views=views_for(module, current_user), module=module, **extra)
