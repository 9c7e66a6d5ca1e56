"""Which existing record an import row stands for, as far as the importing user may know.

Rows match only records visible to the user. Codes are unique over every row (deleted
and invisible ones too), so a code held by a record the user may not see is reported as
a hidden match: the row is refused without saying whose the record is.
"""
import re
from dataclasses import dataclass

import sqlalchemy as sa

from app.access.visibility import visible_to
from app.extensions import db


@dataclass(frozen=True)
class Match:
    id: int
    hidden: bool = False   # a record the user may not see: never touched, never described
    deleted: bool = False  # a deleted record the user may see ("update" restores it)


class Matcher:
    """Finds the existing record a row stands for (and rows seen earlier in the same file)."""

    def __init__(self, target, user):
        self.target, self.keys, self.codes = target, {}, {}
        model = target.model
        # An import updates what it matches: only records the user may change count as
        # theirs (one seen through a read-only share is treated like a hidden one).
        visible = (visible_to(user, model, edit=True) if target.owned and user is not None
                   else sa.true())
        columns = [model.id] + [getattr(model, name) for name in target.match_on]
        self.visible_ids = set()
        for row in db.session.execute(sa.select(*columns).where(target.live_filter(), visible)):
            self.visible_ids.add(row[0])
            self.remember(row[0], dict(zip(target.match_on, row[1:])))
        for name in target.unique_on:
            self._load_codes(name, visible)

    def _load_codes(self, name, visible) -> None:
        model = self.target.model
        live = self.target.live_filter()
        merged = getattr(model, "merged_into_id", sa.null())
        query = sa.select(getattr(model, name), model.id, live, visible, merged)
        for code, record_id, is_live, is_visible, merged_into in db.session.execute(query):
            key = self._key(name, code)
            if merged_into is not None:
                # A merged record's code stands for the record it was merged into.
                self.codes[key] = ("merged", merged_into)
            elif is_live:
                self.codes[key] = ("live", record_id) if is_visible else ("hidden", record_id)
            else:
                self.codes[key] = ("deleted", record_id) if is_visible else ("hidden", record_id)

    @staticmethod
    def _key(name, value):
        return (name, value.lower()) if isinstance(value, str) else (name, value)

    def remember(self, record_id, values):
        for name in self.target.match_on:
            if values.get(name):
                self.keys.setdefault(self._key(name, values[name]), record_id)

    def find(self, values) -> Match | None:
        for name in self.target.match_on:
            if not values.get(name):
                continue
            key = self._key(name, values[name])
            if key in self.keys:
                return Match(self.keys[key])
            if key in self.codes:
                return self._code_match(*self.codes[key])
        return None

    def _code_match(self, state, record_id) -> Match:
        if state == "merged":
            return Match(record_id, hidden=record_id not in self.visible_ids)
        return Match(record_id, hidden=state == "hidden", deleted=state == "deleted")

    def code_taken(self, name, value) -> bool:
        return bool(value) and (self._key(name, value) in self.codes
                                or self._key(name, value) in self.keys)

    def highest_number(self, prefix: str) -> int:
        """The highest number in codes shaped prefix + digits (C000123 → 123), 0 if none."""
        pattern = re.compile(re.escape(prefix.lower()) + r"(\d{1,18})")
        numbers = [int(m.group(1)) for (_name, code) in [*self.codes, *self.keys]
                   if isinstance(code, str) and (m := pattern.fullmatch(code))]
        return max(numbers, default=0)
