"""Quote statuses in the reader's language (templates: `status_label`)."""
from flask_babel import lazy_gettext as _l

QUOTE_STATUS_NAMES = {
    "draft": _l("Draft"), "pending_approval": _l("Waiting for approval"),
    "approved": _l("Approved"), "sent": _l("Sent"), "accepted": _l("Accepted"),
    "rejected": _l("Rejected"), "expired": _l("Expired"),
}
