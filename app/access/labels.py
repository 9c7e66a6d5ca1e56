"""Names of the seeded roles in the user's language (templates: `role_name`)."""
from flask_babel import lazy_gettext as _l

from app.access.seed import SEEDED_ROLES

ROLE_NAMES = {
    "owner": _l("Owner"), "admin": _l("Administrator"), "sales_manager": _l("Sales manager"),
    "sales_rep": _l("Sales rep"), "service_agent": _l("Service agent"),
    "call_center_agent": _l("Call-center agent"), "read_only": _l("Read-only"),
}
_SEEDED_ENGLISH = {key: name for key, name, _visibility, _permissions in SEEDED_ROLES}


def role_display_name(role) -> object:
    """A seeded role in the user's language unless the tenant renamed it."""
    if role is None:
        return ""
    seeded = ROLE_NAMES.get(role.key) if role.is_system else None
    if seeded is not None and role.name == _SEEDED_ENGLISH.get(role.key):
        return seeded
    return role.name
