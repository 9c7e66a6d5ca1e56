"""Where tasks plug into shared machinery: the "task" record type, customer merges, record
ownership, search and My day. Imported once by app.tenant_schema."""
from flask_babel import lazy_gettext as _l

from app.access.ownership import register_owned
from app.customers.merging import CUSTOMER_REFERENCES
from app.records import RecordType, register_record_type
from app.tasks import myday as _myday  # noqa: F401  (registers the My day panels)
from app.tasks import reminders as _reminders  # noqa: F401  (registers "tasks.reminders")
from app.tasks import search as _search  # noqa: F401  (registers with search)
from app.tasks.models import Task


def _register() -> None:
    register_record_type(RecordType(
        "task", Task, _l("Task"), "workspace.tasks.show", "task_id", "tasks",
        title=lambda t: t.title, customer_id=lambda t: t.customer_id))
    if (Task.__table__, "customer_id") not in CUSTOMER_REFERENCES:
        CUSTOMER_REFERENCES.append((Task.__table__, "customer_id"))
    register_owned(Task.__table__, "owner_id", _l("Tasks"))


_register()
