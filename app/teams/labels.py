"""The words shown for the stored team roles and share access levels."""
from flask_babel import lazy_gettext as _l

TEAM_ROLE_LABELS = {
    "sales": _l("Sales"),
    "support": _l("Support"),
    "technical": _l("Technical"),
    "executive_sponsor": _l("Executive sponsor"),
}
SHARE_ACCESS_LABELS = {
    "read": _l("Read"),
    "edit": _l("Read and edit"),
}
