"""Record visibility as a WHERE clause: own, unit, unit_tree or all.

Computed in the query from the record's owner and unit, never from
precomputed sharing tables. A CRM module's list query adds
`.where(visible_to(current_user, Customer))`; the model (or Table) needs
`owner_id` and `unit_id` columns.
"""
import sqlalchemy as sa

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
