"""Notifications: the contract every module uses to tell a user something.

    from app.i18n import N_
    notify([user_id], "mentioned", N_("%(actor)s mentioned you on %(record)s"),
           {"actor": actor.name, "record": title}, subject=("opportunity", 12), actor_id=actor.id)

The message is an English msgid (marked with N_ so it is extracted) and its
parameters; it is translated when the reader sees it, in the reader's language.
Each user chooses, per event, in-app and/or e-mail (app/notifications/preferences.py).
A notification about a record the user may not see is never shown to them.
notify() writes in the caller's transaction: nothing is sent if the change rolls back.
"""
from flask_babel import lazy_gettext as _l

EVENTS = {
    "assigned": _l("Assigned to me"),
    "mentioned": _l("Mentioned me"),
    "approval_waiting": _l("An approval waits for me"),
    "quote_decided": _l("My quote was approved or rejected"),
    "task_due": _l("A task of mine is due"),
    "reminder": _l("Reminders"),
    "followed": _l("Activity on records I follow"),
    "announcement": _l("Announcements"),
    "automation": _l("Automation rules"),
}


def notify(user_ids, event: str, message: str, params: dict | None = None, *,
           subject: tuple[str, int] | None = None, actor_id: int | None = None) -> None:
    from app.extensions import db
    from app.notifications.services import notify as _notify
    from app.notifications.told import remember

    if subject is not None and event != "followed":
        remember(db.session(), subject, user_ids)
    _notify(user_ids, event, message, params or {}, subject=subject, actor_id=actor_id)
