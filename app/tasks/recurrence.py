"""Repeating tasks: the RRULE subset the form offers, and the next occurrence's date.

A rule is a small RFC 5545 RRULE: FREQ (daily, weekly, monthly, yearly), INTERVAL,
and at most one end, UNTIL (a date) or COUNT (occurrences left, this one included).
Only the next occurrence is ever made, when the current one is done, so a rule
that never ends costs one row at a time. Dates follow dateutil's rrule (RFC 5545):
a monthly task on the 31st skips the months without one.
"""
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil import rrule

FREQUENCIES = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY,
               "yearly": rrule.YEARLY}
MAX_INTERVAL = 365
MAX_COUNT = 1000


class BadRule(ValueError):
    """The stored or typed rule is not one this module writes."""


@dataclass(frozen=True)
class Rule:
    frequency: str          # a FREQUENCIES key
    interval: int = 1
    until: date | None = None
    count: int | None = None   # occurrences left, the current one included

    def text(self) -> str:
        parts = [f"FREQ={self.frequency.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def check(rule: Rule) -> Rule:
    if rule.frequency not in FREQUENCIES:
        raise BadRule("frequency")
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise BadRule("interval")
    if rule.until is not None and rule.count is not None:
        raise BadRule("end")
    if rule.count is not None and not 1 <= rule.count <= MAX_COUNT:
        raise BadRule("count")
    return rule


def parse(text: str | None) -> Rule | None:
    """The Rule a stored RRULE string says (None for none); BadRule for anything else."""
    if not text:
        return None
    fields = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or key in fields:
            raise BadRule(text)
        fields[key] = value
    try:
        frequency = fields.pop("FREQ").lower()
        interval = int(fields.pop("INTERVAL", "1"))
        until = fields.pop("UNTIL", None)
        count = fields.pop("COUNT", None)
        rule = Rule(frequency, interval,
                    date(int(until[:4]), int(until[4:6]), int(until[6:8])) if until else None,
                    int(count) if count is not None else None)
    except (KeyError, ValueError, IndexError):
        raise BadRule(text)
    if fields:
        raise BadRule(text)
    return check(rule)


def next_occurrence(rule: Rule, due: date) -> tuple[date, Rule] | None:
    """(the next due date, the rule the next occurrence carries), or None: the series ends."""
    if rule.count is not None and rule.count <= 1:
        return None
    following = rrule.rrule(FREQUENCIES[rule.frequency], interval=rule.interval,
                            dtstart=datetime.combine(due, time.min)).after(
        datetime.combine(due, time.min))
    if following is None:
        return None
    following = following.date()
    if rule.until is not None and following > rule.until:
        return None
    left = None if rule.count is None else rule.count - 1
    return following, Rule(rule.frequency, rule.interval, rule.until, left)

