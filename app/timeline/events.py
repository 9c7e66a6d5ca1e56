"""Structured timeline events, shown in the reader's language.

A system entry stores {"msgid": <English msgid marked with N_>, "params": {...}}; it
is translated here, at read time, so a rep reading in English sees English even when a
colleague working in Chinese caused it. Entries typed by users have no event: their
title is shown as written.
"""
from flask_babel import gettext


def entry_text(entry) -> str:
    event = entry.event
    if not event:
        return entry.title
    msgid, params = event.get("msgid"), event.get("params") or {}
    try:
        return gettext(msgid, **params)
    except (KeyError, TypeError, ValueError):
        # An event written by an older version with other parameters: its English text.
        return entry.title
