"""The tasks' panels on "My day": due today, overdue, and (for unit managers) the team's
overdue tasks. Each is one query on an index made for it (app/tasks/models.py)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.extensions import db
from app.myday import panel
from app.org.models import Unit, UnitManager
from app.tasks.models import Task
from tenants.context import current_tenant

SHOWN = 10


def user_today(user) -> date:
    """The user's calendar day (their time zone, else the tenant's)."""
    tenant = current_tenant()
    zone = user.time_zone or (tenant.time_zone if tenant else None) or "UTC"
    return datetime.now(ZoneInfo(zone)).date()


def _open_of(user):
    return (Task.owner_id == user.id, Task.done_at.is_(None), Task.deleted_at.is_(None))


def _first(stmt) -> tuple[list[Task], bool]:
    """The first SHOWN rows, and whether there are more."""
    rows = list(db.session.scalars(stmt.limit(SHOWN + 1)))
    return rows[:SHOWN], len(rows) > SHOWN


@panel("tasks.today", order=10, template="tasks/_myday_today.html")
def today_panel(user) -> dict:
    """Always shown (an empty day says so, with the way to add a task)."""
    tasks, more = _first(sa.select(Task).where(*_open_of(user), Task.due_date == user_today(user))
                         .order_by(Task.due_at.nulls_last(), Task.id))
    return {"tasks": tasks, "more": more}


@panel("tasks.overdue", order=11, template="tasks/_myday_overdue.html")
def overdue_panel(user) -> dict | None:
    tasks, more = _first(sa.select(Task).where(*_open_of(user), Task.due_date < user_today(user))
                         .order_by(Task.due_date, Task.id))
    return {"tasks": tasks, "more": more} if tasks else None


def _managed_units(user_id: int):
    """The units the user manages and every unit below them (a recursive CTE)."""
    tree = sa.select(UnitManager.unit_id.label("id")).where(UnitManager.user_id == user_id) \
        .cte("managed_units", recursive=True)
    return tree.union_all(sa.select(Unit.id).join(tree, Unit.parent_id == tree.c.id))


@panel("tasks.team_overdue", order=40, template="tasks/_myday_team.html")
def team_overdue_panel(user) -> dict | None:
    """For unit managers: their people's overdue tasks (the manager's own are above).

    The oldest few of each unit first (a LATERAL range scan of ix_tasks_unit_open_due per
    unit), then the oldest of those: a region's thousands of late tasks are never sorted."""
    units = _managed_units(user.id)
    oldest = sa.select(Task.id, Task.due_date).where(
        Task.unit_id == units.c.id, Task.done_at.is_(None), Task.deleted_at.is_(None),
        Task.due_date < user_today(user), Task.owner_id != user.id) \
        .order_by(Task.due_date, Task.id).limit(SHOWN + 1).lateral("oldest")
    ids = sa.select(oldest.c.id).select_from(units).join(oldest, sa.true()) \
        .order_by(oldest.c.due_date, oldest.c.id).limit(SHOWN + 1)
    tasks, more = _first(sa.select(Task).where(Task.id.in_(ids)).order_by(Task.due_date, Task.id))
    if not tasks:
        return None
    from app.auth.models import User

    names = dict(db.session.execute(sa.select(User.id, User.name).where(
        User.id.in_({t.owner_id for t in tasks}))).all())
    return {"tasks": tasks, "more": more, "owner_names": names}
