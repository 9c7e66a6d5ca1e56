"""A list page's description (columns, filters, sorts) and how request args become a query.

A module declares a ListSpec once; the list view, the export and saved views
all read the same spec, so a filter means the same thing everywhere.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Callable

import sqlalchemy as sa

from app.search.builder import matching


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    value: Callable  # row -> display value
    default: bool = False


@dataclass(frozen=True)
class Filter:
    key: str
    label: object
    kind: str  # "choice" | "text" | "tag" | "number_min" | "number_max" | "date_from" | "date_to" | "id" | "is_empty"
    column: object  # a "text" filter may name a tuple of columns: any of them may contain the text
    choices: tuple = ()


@dataclass(frozen=True)
class ListSpec:
    model: type
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...]
    sorts: dict = field(default_factory=dict)  # key -> (label, non-null sort expression)
    default_sort: str = "-created"

    def with_custom_fields(self, definitions) -> "ListSpec":
        """This spec plus a column and a filter per custom field (values in model.custom)."""
        from app.customfields.values import display

        kinds = {"choice": "json_equals", "user": "json_equals", "date": "json_equals",
                 "multi_choice": "json_contains", "yes_no": "json_bool"}
        columns, filters = list(self.columns), list(self.filters)
        for d in definitions:
            columns.append(Column("cf_" + d.key, d.label,
                                  lambda row, d=d: display(d, (row.custom or {}).get(d.key))))
            filters.append(Filter("cf_" + d.key, d.label, kinds.get(d.type, "json_text"),
                                  self.model.custom[d.key],
                                  tuple((o, o) for o in d.options)))
        return ListSpec(self.model, tuple(columns), tuple(filters), self.sorts, self.default_sort)

    def column_keys(self, wanted: list[str]) -> list[Column]:
        chosen = [c for c in self.columns if c.key in wanted]
        return chosen or [c for c in self.columns if c.default]


class BadFilter(ValueError):
    pass


def contains_text(columns, raw: str):
    """Any of columns contains raw, case-insensitively (% and _ are plain characters)."""
    escaped = raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))


def _condition(spec_filter: Filter, raw: str):
    column, kind = spec_filter.column, spec_filter.kind
    if kind == "choice":
        if spec_filter.choices and raw not in dict(spec_filter.choices):
            raise BadFilter(spec_filter.label)
        return column == raw
    if kind == "text":
        return contains_text(column if isinstance(column, tuple) else (column,), raw)
    if kind == "tag":
        return column.any(raw.strip())
    if kind == "id":
        if not raw.isdigit():
            raise BadFilter(spec_filter.label)
        return column == int(raw)
    if kind in ("number_min", "number_max"):
        try:
            number = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise BadFilter(spec_filter.label)
        return column >= number if kind == "number_min" else column <= number
    if kind in ("date_from", "date_to"):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise BadFilter(spec_filter.label)
        if kind == "date_from":
            return column >= datetime.combine(day, time.min)
        return column < datetime.combine(day + timedelta(days=1), time.min)
    if kind == "is_empty":  # "yes": the column holds nothing; "no": it holds something
        if raw not in ("yes", "no"):
            raise BadFilter(spec_filter.label)
        return column.is_(None) if raw == "yes" else column.is_not(None)
    if kind == "json_text":
        escaped = raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.astext.ilike(f"%{escaped}%", escape="\\")
    if kind == "json_equals":
        return column.astext == raw
    if kind == "json_contains":
        return column.contains([raw])
    if kind == "json_bool":
        if raw not in ("yes", "no"):
            raise BadFilter(spec_filter.label)
        return column.as_boolean() == (raw == "yes")
    raise ValueError(f"unknown filter kind {kind}")


def apply_filters(spec: ListSpec, stmt: sa.Select, args) -> tuple[sa.Select, list, dict]:
    """(filtered stmt, labels of filters that could not be read, the filters in force)."""
    active = {}
    query = (args.get("q") or "").strip()
    # A list whose rows have no search vector (orders) has no search box; a ?q= typed
    # into its address or kept in a saved view is ignored rather than failing.
    if query and "search_vector" in spec.model.__table__.c:
        match = matching(spec.model, query)
        if match is not None:
            stmt = stmt.where(match[0])
            active["q"] = query
    conditions, problems, filtered = read_filters(spec.filters, args)
    return stmt.where(*conditions), problems, {**active, **filtered}


def read_filters(filters, args) -> tuple[list, list, dict]:
    """(WHERE conditions, labels of filters that could not be read, the filters in force)."""
    conditions, problems, active = [], [], {}
    for spec_filter in filters:
        raw = (args.get(spec_filter.key) or "").strip()
        if not raw:
            continue
        try:
            conditions.append(_condition(spec_filter, raw))
            active[spec_filter.key] = raw
        except BadFilter:
            problems.append(spec_filter.label)
    return conditions, problems, active


def sort_of(spec: ListSpec, raw: str | None):
    """(key, sort expression, descending) for ?sort=name or ?sort=-created."""
    raw = raw if raw and raw.lstrip("-") in spec.sorts else spec.default_sort
    key = raw.lstrip("-")
    return raw, spec.sorts[key][1], raw.startswith("-")
