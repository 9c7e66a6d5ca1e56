"""Record visibility as a WHERE clause: own, unit, unit_tree or all.

Computed in the query from the record's owner and unit, never from
precomputed sharing tables. A CRM module's list query adds
`.where(visible_to(current_user, Customer))`; the model (or Table) needs
`owner_id` and `unit_id` columns.

Every lookup of one record by an id or a code that a request names goes through
`visible_or_404` / `find_visible` / `visible_by_code` below, so a record hidden from the
user can be neither read nor linked to by guessing its id or code.
"""
import sqlalchemy as sa
from flask import abort

from app.extensions import db
from app.org.tree import subtree_ids


def _column(model, name: str):
    return model.c[name] if isinstance(model, sa.Table) else getattr(model, name)


def visible_to(user, model) -> sa.ColumnElement[bool]:
    """The condition selecting the rows of model that user may see."""
    owner, unit = _column(model, "owner_id"), _column(model, "unit_id")
    visibility = user.role.visibility
    if visibility == "all":
        return sa.true()
    own = owner == user.id
    if user.unit_id is None or visibility == "own":
        return own
    if visibility == "unit":
        return sa.or_(own, unit == user.unit_id)
    return sa.or_(own, unit.in_(subtree_ids(user.unit_id)))


def _live(model) -> list:
    """Soft-deleted rows are gone for every lookup."""
    deleted_at = getattr(model, "deleted_at", None)
    return [] if deleted_at is None else [deleted_at.is_(None)]


def _viewer(user):
    if user is None:
        from flask_login import current_user
        return current_user
    return user


def find_visible(model, record_id, user=None):
    """The live record with this id if user (by default the signed-in one) may see it, else None."""
    if record_id is None:
        return None
    return db.session.scalar(sa.select(model).where(
        model.id == record_id, *_live(model), visible_to(_viewer(user), model)))


def visible_or_404(model, record_id, user=None):
    """The one loader of a record named by id in a URL or form: 404 when it is missing, deleted
    or hidden from this user, so a hidden record looks exactly like one that does not exist."""
    record = find_visible(model, record_id, user)
    if record is None:
        abort(404)
    return record


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
