"""Placeholder until the notifications centre lands (its helper replaces this file)."""


def notify(user_ids, event, message, params, *, subject=None, actor_id=None) -> None:
    if event not in __import__("app.notifications", fromlist=["EVENTS"]).EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
