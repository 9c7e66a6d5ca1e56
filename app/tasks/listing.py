"""The task lists: mine, my team, overdue, all I may see (one spec for lists, export, views)."""
from datetime import date, datetime

import sqlalchemy as sa
from flask import g
from flask_babel import lazy_gettext as _l

from app.access.visibility import visible_to
from app.lists.spec import Column, Filter, ListSpec
from app.org.models import Unit
from app.tasks.forms import PRIORITY_LABELS
from app.tasks.models import Task

SCOPES = {"mine": _l("Mine"), "team": _l("My team"), "overdue": _l("Overdue"),
          "all": _l("All I may see")}
STATUS_LABELS = {"open": _l("Open"), "done": _l("Done")}
# Open tasks with no due date sort last; a datetime so the page cursor can carry it.
_NEVER = sa.literal(datetime(9999, 12, 31), sa.DateTime(timezone=True))
DUE_SORT = sa.func.coalesce(Task.due_at, sa.cast(Task.due_date, sa.DateTime(timezone=True)),
                            _NEVER)
PRIORITY_SORT = sa.case({"high": 0, "normal": 1, "low": 2}, value=Task.priority)


def _owner_name(task) -> str:
    names = g.get("task_owner_names") or {}
    return names.get(task.owner_id, "")


def _priority(task) -> str:
    return str(PRIORITY_LABELS.get(task.priority, task.priority))


def _status(task) -> str:
    return str(STATUS_LABELS["done" if task.done_at else "open"])


TASK_LIST = ListSpec(
    model=Task,
    columns=(
        Column("title", _l("Title"), lambda t: t.title, default=True),
        Column("due", _l("Due"), lambda t: t.due_at or t.due_date, default=True),
        Column("priority", _l("Priority"), _priority, default=True),
        Column("owner", _l("Assigned to"), _owner_name, default=True),
        Column("status", _l("Status"), _status, default=True),
        Column("notes", _l("Notes"), lambda t: t.notes or ""),
        Column("done", _l("Done on"), lambda t: t.done_at),
        Column("created", _l("Created"), lambda t: t.created_at),
    ),
    filters=(
        Filter("status", _l("Status"), "choice", sa.case((Task.done_at.is_(None), "open"),
                                                         else_="done"),
               tuple(STATUS_LABELS.items())),
        Filter("priority", _l("Priority"), "choice", Task.priority,
               tuple(PRIORITY_LABELS.items())),
        Filter("owner", _l("Assigned to"), "id", Task.owner_id),
        Filter("customer", _l("Customer"), "id", Task.customer_id),
        Filter("due_from", _l("Due from"), "date_from", Task.due_date),
        Filter("due_to", _l("Due until"), "date_to", Task.due_date),
    ),
    sorts={
        "due": (_l("Due"), DUE_SORT),
        "priority": (_l("Priority"), PRIORITY_SORT),
        "created": (_l("Created"), Task.created_at),
    },
    default_sort="due",
)


def overdue(today: date, now: datetime):
    """Open and past due: a due time passed, or (no time) a due day before today."""
    return sa.and_(Task.done_at.is_(None), Task.due_date.is_not(None), Task.due_date <= today,
                   sa.or_(Task.due_date < today, sa.and_(Task.due_at.is_not(None),
                                                        Task.due_at < now)))


def team(user):
    """Tasks of the others in the user's unit and the units below it."""
    if user.unit_id is None:
        return sa.false()
    # Its own CTE name: visible_to() may already hold app.org.tree's "unit_subtree".
    tree = sa.select(Unit.id).where(Unit.id == user.unit_id).cte("team_units", recursive=True)
    tree = tree.union_all(sa.select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
    return sa.and_(Task.unit_id.in_(sa.select(tree.c.id)), Task.owner_id != user.id)


def scoped_query(user, scope: str, today: date, now: datetime) -> sa.Select:
    """Live tasks the user may see, narrowed to the scope (unknown scopes mean "mine")."""
    stmt = sa.select(Task).where(Task.deleted_at.is_(None), visible_to(user, Task))
    if scope == "all":
        return stmt
    if scope == "team":
        return stmt.where(team(user))
    if scope == "overdue":
        return stmt.where(overdue(today, now))
    return stmt.where(Task.owner_id == user.id)
