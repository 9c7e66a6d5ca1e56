"""Making tasks in a test's tenant scope."""
from app.tasks.services import TaskInput, create_task


def make_task(owner_id: int, title: str = "Call back", actor_id: int | None = None,
              zone: str = "UTC", now=None, **fields):
    return create_task(TaskInput(title, owner_id, zone, **fields),
                       actor_id if actor_id is not None else owner_id, now=now)
