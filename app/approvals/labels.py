"""Approval request statuses in the reader's language (templates: `approval_status_label`)."""
from flask_babel import lazy_gettext as _l

APPROVAL_STATUS_NAMES = {
    "pending": _l("Waiting for a decision"), "approved": _l("Approved"),
    "rejected": _l("Rejected"), "canceled": _l("Canceled"),
}
