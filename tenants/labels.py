"""A tenant's registry status in the reader's language (templates: `status_name`)."""
from flask_babel import lazy_gettext as _l

STATUS_NAMES = {
    "pooled": _l("Pooled"), "active": _l("Active"), "suspended": _l("Suspended"),
    "canceled": _l("Canceled"),
}
