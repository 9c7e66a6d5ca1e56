"""Where the calendar plugs into shared machinery: the "meeting" record type, ownership
(a leaving user's meetings move with the rest), customer merges, its due work and its
My day panels. Imported once by app.tenant_schema."""
from flask_babel import lazy_gettext as _l

from app.access.ownership import register_owned
from app.calendar import agenda as _agenda  # noqa: F401  (registers due work)
from app.calendar import myday as _myday  # noqa: F401  (registers My day panels)
from app.calendar import reminders as _reminders  # noqa: F401  (registers due work)
from app.calendar.models import Meeting
from app.customers.merging import CUSTOMER_REFERENCES
from app.records import RecordType, register_record_type

register_record_type(RecordType(
    "meeting", Meeting, _l("Meeting"), "workspace.calendar.show", "meeting_id", "tasks",
    title=lambda m: m.title, customer_id=lambda m: m.customer_id))


def _register() -> None:
    if (Meeting.__table__, "customer_id") not in CUSTOMER_REFERENCES:
        CUSTOMER_REFERENCES.append((Meeting.__table__, "customer_id"))
    register_owned(Meeting.__table__, "owner_id", _l("Meetings"))


_register()
