"""Record visibility as a WHERE clause: own, unit, unit_tree or all, widened by teams and shares.

Computed in the query from the record's owner and unit, never from
precomputed sharing tables. A CRM module's list query adds
`.where(visible_to(current_user, Customer))`; the model (or Table) needs
`owner_id` and `unit_id` columns.

Teams and shares (app.access.teams) widen it: a table registered with
`reached_through` is also visible to the members of the team of the record it
belongs to, and to the units that record is shared with. Those record ids are read
once per request (one indexed query) and put in the WHERE as constants, so a user
on no team keeps exactly the owner/unit plan and a user on some gets an index scan
of those ids ORed with the owner's. `visible_to(user, model, edit=True)` is the same rule for
changing a record: a read-only share shows a record without opening it to edits.

Every lookup of one record by an id or a code that a request names goes through
`visible_or_404` / `find_visible` / `visible_by_code` below, so a record hidden from the
user can be neither read nor linked to by guessing its id or code.
"""
import sqlalchemy as sa
from flask import abort, g, has_app_context

from app.access.teams import RecordShare, TeamMember
from app.extensions import db
from app.org.tree import ancestor_ids_select, subtree_ids
from tenants.context import current_tenant

# table name -> [(record type key, column)]: whose team or share opens a row of the table.
_REACHED_THROUGH: dict[str, list[tuple[str, str]]] = {}


def reached_through(table_name: str, *paths: tuple[str, str]) -> None:
    """Rows of table_name open to the team and shares of the record named by each
    (record type, column) path, e.g. quotes through ("customer", "customer_id")."""
    _REACHED_THROUGH[table_name] = list(paths)


def _column(model, name: str):
    return model.c[name] if isinstance(model, sa.Table) else getattr(model, name)


def _table_name(model) -> str:
    return model.name if isinstance(model, sa.Table) else model.__tablename__


def visible_to(user, model, *, edit: bool = False) -> sa.ColumnElement[bool]:
    """The condition selecting the rows of model that user may see (with edit: may change)."""
    visibility = user.role.visibility
    if visibility == "all":
        return sa.true()
    # One subtree (and one ancestor chain) per condition: each is a named CTE of the query.
    subtree = subtree_ids(user.unit_id) if user.unit_id and visibility == "unit_tree" else None
    return sa.or_(_by_role(user, model, visibility, subtree),
                  *_by_team_or_share(user, model, edit, subtree))


def _by_role(user, model, visibility: str, subtree) -> sa.ColumnElement[bool]:
    owner, unit = _column(model, "owner_id"), _column(model, "unit_id")
    own = owner == user.id
    if user.unit_id is None or visibility == "own":
        return own
    if visibility == "unit":
        return sa.or_(own, unit == user.unit_id)
    return sa.or_(own, unit.in_(subtree))


def _share_units(user, subtree) -> sa.Select:
    """The units whose shares reach user: theirs and those above it (a share with a region
    reaches its stores), and with unit_tree visibility also those below it (a manager sees
    what is shared with the units they oversee)."""
    units = ancestor_ids_select(user.unit_id)
    return units if subtree is None else sa.union(units, subtree)


def _opened_records(user, subtree) -> dict[tuple[str, bool], list[int]]:
    """(record type, edit) -> ids of the records opened to user by a team or a share: read
    once per request (one indexed query), kept in flask.g until a team or share changes."""
    tenant = current_tenant()
    key = (tenant.schema if tenant else None, user.id)
    cache = g.setdefault("opened_records", {}) if has_app_context() else {}
    if key not in cache:
        teams = sa.select(TeamMember.record_type, TeamMember.record_id, sa.true()).where(
            TeamMember.user_id == user.id)
        query = teams
        if user.unit_id is not None:
            query = sa.union_all(teams, sa.select(
                RecordShare.record_type, RecordShare.record_id, RecordShare.access == "edit")
                .where(RecordShare.unit_id.in_(_share_units(user, subtree))))
        opened: dict[tuple[str, bool], set[int]] = {}
        for record_type, record_id, editable in db.session.execute(query):
            opened.setdefault((record_type, False), set()).add(record_id)
            if editable:
                opened.setdefault((record_type, True), set()).add(record_id)
        cache[key] = {k: sorted(ids) for k, ids in opened.items()}
    return cache[key]


def forget_opened_records() -> None:
    """Called by every change of a team or a share: the next visible_to reads them again."""
    if has_app_context():
        g.pop("opened_records", None)


def _by_team_or_share(user, model, edit: bool, subtree) -> list[sa.ColumnElement[bool]]:
    paths = _REACHED_THROUGH.get(_table_name(model), ())
    if not paths:
        return []
    opened = _opened_records(user, subtree)
    # The ids go into the query as constants: with none (most users, most of the time) the
    # condition is exactly the owner/unit one and keeps its plan; with some, PostgreSQL
    # knows how many and ORs an index scan of them with the owner's.
    return [_column(model, column).in_(opened[(record_type, edit)])
            for record_type, column in paths if opened.get((record_type, edit))]


def _live(model) -> list:
    """Soft-deleted rows are gone for every lookup."""
    deleted_at = getattr(model, "deleted_at", None)
    return [] if deleted_at is None else [deleted_at.is_(None)]


def _viewer(user):
    if user is None:
        from flask_login import current_user
        return current_user
    return user


def find_visible(model, record_id, user=None, *, edit: bool = False):
    """The live record with this id if user (by default the signed-in one) may see it (with
    edit: may change it), else None."""
    if record_id is None:
        return None
    return db.session.scalar(sa.select(model).where(
        model.id == record_id, *_live(model), visible_to(_viewer(user), model, edit=edit)))


def visible_or_404(model, record_id, user=None):
    """The one loader of a record named by id in a URL or form: 404 when it is missing, deleted
    or hidden from this user, so a hidden record looks exactly like one that does not exist."""
    record = find_visible(model, record_id, user)
    if record is None:
        abort(404)
    return record


def editable_or_403(model, record_id, user=None):
    """The loader of a record a request changes: 404 as visible_or_404 when the user may not
    see it, 403 when they see it but may not change it (only a read share opens it to them)."""
    viewer = _viewer(user)
    row = db.session.execute(sa.select(model, visible_to(viewer, model, edit=True)).where(
        model.id == record_id, *_live(model), visible_to(viewer, model))).first()
    if row is None:
        abort(404)
    if not row[1]:
        abort(403)
    return row[0]


def may_edit(record, user=None) -> bool:
    """Whether user may change this record they can see (for the pages' edit buttons)."""
    model = type(record)
    return bool(db.session.scalar(sa.select(visible_to(_viewer(user), model, edit=True))
                                  .select_from(model).where(model.id == record.id)))


def visible_by_code(model, code: str | None, user=None, linked_id: int | None = None):
    """The live record with this code (any case) if user may see it, else None. linked_id is the
    record already linked to what is being edited: keeping that link needs no visibility."""
    code = (code or "").strip().lower()
    if not code:
        return None
    allowed = visible_to(_viewer(user), model)
    if linked_id is not None:
        allowed = sa.or_(allowed, model.id == linked_id)
    return db.session.scalar(sa.select(model).where(
        sa.func.lower(model.code) == code, *_live(model), allowed))
