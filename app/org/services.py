"""Creating, renaming and moving units, and naming their managers. Flush, never commit."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db
from app.org.models import UNIT_KINDS, Unit, UnitManager
from app.org.tree import is_in_subtree, tree_rows


class UnitError(ValueError):
    """A unit change that would break the tree; the message is for the user."""


def _check_kind(kind: str) -> None:
    if kind not in UNIT_KINDS:
        raise UnitError(_l("Choose a kind of unit."))


def _check_parent(parent_id: int | None) -> None:
    if parent_id is not None and db.session.get(Unit, parent_id) is None:
        raise UnitError(_l("The chosen parent unit does not exist."))


def create_unit(name: str, kind: str, parent_id: int | None) -> Unit:
    """A new unit under parent_id (None: a top-level unit such as the head office)."""
    _check_kind(kind)
    _check_parent(parent_id)
    unit = Unit(name=name.strip(), kind=kind, parent_id=parent_id)
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(unit: Unit, name: str, kind: str, parent_id: int | None) -> None:
    """Rename, re-kind or move a unit; refused if it would sit below itself."""
    _check_kind(kind)
    _check_parent(parent_id)
    if parent_id is not None and is_in_subtree(parent_id, unit.id):
        raise UnitError(_l("A unit cannot be moved under itself or one of its own sub-units."))
    unit.name, unit.kind, unit.parent_id = name.strip(), kind, parent_id
    db.session.flush()


def set_manager(unit: Unit, user_id: int | None) -> None:
    """Make user_id the manager of unit (None: no manager)."""
    current = db.session.get(UnitManager, unit.id)
    if user_id is None:
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        return
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise UnitError(_l("Choose an active user as manager."))
    if current is None:
        db.session.add(UnitManager(unit_id=unit.id, user_id=user_id))
    else:
        current.user_id = user_id
    db.session.flush()


def manager_of(unit: Unit) -> int | None:
    return db.session.scalar(sa.select(UnitManager.user_id).where(UnitManager.unit_id == unit.id))


def unit_choices() -> list[tuple[int, str]]:
    """(id, indented name) of every unit in tree order, for select fields."""
    return [(row.unit.id, "\u2003" * row.depth + row.unit.name) for row in tree_rows()]
