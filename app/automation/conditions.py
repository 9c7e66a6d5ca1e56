"""A rule's conditions, written like the list filters and evaluated by them.

A condition is {"field": key, "op": op, "value": raw}. Each (field kind, operator)
becomes an app.lists.spec Filter, so "credit limit at least 1000" means exactly
what the customer list's "Credit limit from 1000" means, and bad values are refused
by the same code that refuses them in a list's address.
"""
from flask_babel import lazy_gettext as _l

from app.automation.fields import Field, fields_of
from app.lists.spec import Filter, read_filters

OPERATORS = {
    "=": _l("is"), "contains": _l("contains"), ">=": _l("at least / on or after"),
    "<=": _l("at most / on or before"), "empty": _l("is empty"), "not_empty": _l("is not empty"),
}
# operator → the list filter kind it is, per field kind
_FILTER_KINDS = {
    "=": {"text": "choice", "choice": "choice", "id": "id"},
    "contains": {"text": "text"},
    ">=": {"number": "number_min", "date": "date_from", "datetime": "date_from"},
    "<=": {"number": "number_max", "date": "date_to", "datetime": "date_to"},
}
_EMPTY = {"empty": "yes", "not_empty": "no"}


class ConditionError(ValueError):
    """str() is the message the rule form shows."""


def _filter_and_raw(field: Field, op: str, raw: str, key: str) -> tuple[Filter, str]:
    if op in _EMPTY:
        return Filter(key, field.label, "is_empty", field.column), _EMPTY[op]
    kind = _FILTER_KINDS.get(op, {}).get(field.kind)
    if kind is None:
        raise ConditionError(_l("“%(op)s” cannot be used with %(field)s.", op=op, field=field.label))
    return Filter(key, field.label, kind, field.column, field.choices), raw


def _filters(type_key: str, conditions: list) -> tuple[list[Filter], dict]:
    fields = fields_of(type_key)
    filters, args = [], {}
    for index, condition in enumerate(conditions):
        field = fields.get(condition.get("field"))
        if field is None:
            raise ConditionError(_l("There is no field “%(field)s”.", field=condition.get("field")))
        key = f"c{index}"
        spec_filter, raw = _filter_and_raw(field, condition.get("op"), condition.get("value") or "",
                                           key)
        if not raw.strip():
            raise ConditionError(_l("%(field)s needs a value.", field=field.label))
        filters.append(spec_filter)
        args[key] = raw
    return filters, args


def where_clauses(type_key: str, conditions: list) -> list:
    """The WHERE conditions (ConditionError for a condition that cannot be read)."""
    filters, args = _filters(type_key, conditions)
    clauses, problems, _active = read_filters(filters, args)
    if problems:
        raise ConditionError(_l("The value for %(field)s is not valid.", field=problems[0]))
    return clauses


def parse_lines(type_key: str, text: str) -> list[dict]:
    """Conditions from the form's lines "field operator value" (ConditionError names the line)."""
    conditions = []
    for line in (text or "").splitlines():
        parts = line.split(None, 2)
        if not parts:
            continue
        if len(parts) < 2 or parts[1] not in OPERATORS:
            raise ConditionError(_l("Write each condition as: field operator value (%(line)s).",
                                    line=line.strip()))
        conditions.append({"field": parts[0], "op": parts[1],
                           "value": parts[2].strip() if len(parts) > 2 else ""})
    where_clauses(type_key, conditions)
    return conditions


def as_lines(conditions: list) -> str:
    return "\n".join(" ".join(filter(None, (c["field"], c["op"], c.get("value") or "")))
                     for c in conditions or ())
