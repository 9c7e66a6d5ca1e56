"""What task templates need on any page (the record pages' Tasks panel included)."""
import sqlalchemy as sa
from flask_babel import format_date, gettext as _
from flask_login import current_user

from app.access.visibility import visible_to
from app.extensions import db
from app.records import record_title, record_url
from app.tasks import recurrence
from app.tasks.forms import PRIORITY_LABELS, REPEAT_LABELS
from app.tasks.listing import DUE_SORT
from app.tasks.models import Task

PANEL_SIZE = 20


def tasks_of(record_type: str, record_id: int) -> list[Task]:
    """Open tasks about a record (for a customer: about it or anything of it) the user may see."""
    about = (Task.customer_id == record_id if record_type == "customer" else
             sa.and_(Task.related_type == record_type, Task.related_id == record_id))
    return list(db.session.scalars(
        sa.select(Task).where(about, Task.done_at.is_(None), Task.deleted_at.is_(None),
                              visible_to(current_user, Task))
        .order_by(DUE_SORT, Task.id).limit(PANEL_SIZE)))


def repeat_text(text: str | None) -> str:
    try:
        rule = recurrence.parse(text)
    except recurrence.BadRule:
        return text or ""
    if rule is None:
        return ""
    if rule.interval == 1:
        words = str(REPEAT_LABELS[rule.frequency])
    else:
        words = {"daily": _("Every %(n)s days", n=rule.interval),
                 "weekly": _("Every %(n)s weeks", n=rule.interval),
                 "monthly": _("Every %(n)s months", n=rule.interval),
                 "yearly": _("Every %(n)s years", n=rule.interval)}[rule.frequency]
    if rule.until is not None:
        return _("%(rule)s, until %(day)s", rule=words, day=format_date(rule.until))
    if rule.count is not None:
        return _("%(rule)s, %(n)s more times with this one", rule=words, n=rule.count)
    return words


def template_helpers() -> dict:
    return {"tasks_of": tasks_of, "repeat_text": repeat_text, "priority_labels": PRIORITY_LABELS,
            "record_link": record_url, "record_name": record_title}
