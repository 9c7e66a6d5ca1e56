"""How tasks are found by the search builder (by title, then notes)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.search.builder import SearchSpec, register
from app.search.tokenizer import tokens
from app.tasks.models import Task


def task_document(task: Task) -> dict[str, list[str]]:
    return {"A": tokens(task.title), "C": tokens(task.notes)}


def _visible(user):
    from app.access.visibility import visible_to

    return sa.and_(Task.deleted_at.is_(None), visible_to(user, Task))


register(SearchSpec(
    Task, "task", task_document, label=_l("Tasks"), module="tasks", visible=_visible,
    title=lambda t: t.title, link=lambda t: ("workspace.tasks.show", {"task_id": t.id}),
    subtitle=lambda t: t.due_date.isoformat() if t.due_date else ""))
