"""Per user and event: in the app, by e-mail, both or neither.

Without a stored choice an event is shown in the app, and mailed when it asks the
user to act or answers something they asked (approvals, mentions, assignments,
reminders); news about followed records, announcements and automation stay in the app.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.notifications.models import NotificationPreference

MAILED_BY_DEFAULT = frozenset({"assigned", "mentioned", "approval_waiting", "quote_decided",
                               "task_due", "reminder"})


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: bool


def default_choice(event: str) -> Choice:
    return Choice(in_app=True, email=event in MAILED_BY_DEFAULT)


def choices_of(user_ids, event: str) -> dict[int, Choice]:
    """Every listed user's choice for one event (one query)."""
    stored = db.session.execute(sa.select(
        NotificationPreference.user_id, NotificationPreference.in_app, NotificationPreference.email
    ).where(NotificationPreference.user_id.in_(list(user_ids)),
            NotificationPreference.event == event)).all()
    choices = {user_id: default_choice(event) for user_id in user_ids}
    choices.update({row.user_id: Choice(row.in_app, row.email) for row in stored})
    return choices


def preferences_of(user_id: int) -> dict[str, Choice]:
    """One user's choice for every event."""
    from app.notifications import EVENTS

    stored = {p.event: Choice(p.in_app, p.email) for p in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    return {event: stored.get(event, default_choice(event)) for event in EVENTS}


def save_preferences(user_id: int, choices: dict[str, Choice]) -> None:
    """Store the user's choices for the known events (others are ignored). Flush only."""
    from app.notifications import EVENTS

    for event, choice in choices.items():
        if event not in EVENTS:
            continue
        row = db.session.get(NotificationPreference, (user_id, event))
        if row is None:
            db.session.add(NotificationPreference(user_id=user_id, event=event,
                                                  in_app=choice.in_app, email=choice.email))
        else:
            row.in_app, row.email = choice.in_app, choice.email
    db.session.flush()
