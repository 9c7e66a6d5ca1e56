"""Queries over the unit tree, computed in SQL with recursive CTEs."""
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.org.models import Unit, UnitManager


def subtree_ids(unit_id: int) -> sa.Select:
    """SELECT of the ids of a unit and every unit below it (for IN (...) clauses)."""
    # Unnamed: one query may hold several (two visibility conditions, say) without a clash.
    tree = sa.select(Unit.id).where(Unit.id == unit_id).cte(recursive=True)
    below = sa.select(Unit.id).join(tree, Unit.parent_id == tree.c.id)
    tree = tree.union_all(below)
    return sa.select(tree.c.id)


def is_in_subtree(unit_id: int, root_id: int) -> bool:
    return db.session.scalar(sa.select(sa.literal(unit_id).in_(subtree_ids(root_id))))


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int
    manager_id: int | None


def tree_rows() -> list[TreeRow]:
    """Every unit in tree order (parents before children, siblings by name), with its depth."""
    units = db.session.scalars(sa.select(Unit).order_by(Unit.name)).all()
    managers = dict(db.session.execute(sa.select(UnitManager.unit_id, UnitManager.user_id)).all())
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[TreeRow] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            rows.append(TreeRow(unit, depth, managers.get(unit.id)))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return rows


def ancestor_ids(unit_id: int) -> list[int]:
    """The unit and every unit above it, nearest first (for approver resolution)."""
    chain = (sa.select(Unit.id, Unit.parent_id, sa.literal(0).label("depth"))
             .where(Unit.id == unit_id).cte("unit_chain", recursive=True))
    up = sa.select(Unit.id, Unit.parent_id, (chain.c.depth + 1).label("depth")).join(
        chain, Unit.id == chain.c.parent_id)
    chain = chain.union_all(up)
    return list(db.session.scalars(sa.select(chain.c.id).order_by(chain.c.depth)))


def ancestor_ids_select(unit_id: int) -> sa.Select:
    """SELECT of the ids of a unit and every unit above it (for IN (...) clauses)."""
    chain = sa.select(Unit.id, Unit.parent_id).where(Unit.id == unit_id).cte(recursive=True)
    up = sa.select(Unit.id, Unit.parent_id).join(chain, Unit.id == chain.c.parent_id)
    chain = chain.union_all(up)
    return sa.select(chain.c.id)
