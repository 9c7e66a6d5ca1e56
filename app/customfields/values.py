"""Reading, validating and converting custom field values (stored as JSON: text, numbers as
strings of decimals, dates as ISO strings, choices as strings or lists, yes/no as booleans)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l


class BadValue(ValueError):
    pass


def parse(field, raw):
    """The JSON value for raw input (a string, or a list for multi_choice); None when empty."""
    if raw is None or raw == "" or raw == []:
        if field.required and field.type != "yes_no":
            raise BadValue(_l("This field is required."))
        return False if field.type == "yes_no" else None
    kind = field.type
    if kind in ("text", "long_text"):
        text = str(raw).strip()
        if len(text) > (10000 if kind == "long_text" else 255):
            raise BadValue(_l("Too long."))
        return text
    if kind in ("number", "money"):
        try:
            number = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation:
            raise BadValue(_l("Not a number."))
        if not number.is_finite():
            raise BadValue(_l("Not a number."))
        return str(number.quantize(Decimal("0.01")) if kind == "money" else number)
    if kind == "date":
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise BadValue(_l("Not a date (use YYYY-MM-DD)."))
    if kind == "choice":
        if raw not in field.options:
            raise BadValue(_l("Not one of the choices."))
        return raw
    if kind == "multi_choice":
        chosen = raw if isinstance(raw, list) else [v.strip() for v in str(raw).split(",")]
        if any(v not in field.options for v in chosen):
            raise BadValue(_l("Not one of the choices."))
        return chosen
    if kind == "yes_no":
        text = str(raw).strip().lower()
        if text in ("y", "yes", "true", "1", "on", "是", "有"):
            return True
        if text in ("n", "no", "false", "0", "off", "否", "无", "無"):
            return False
        raise BadValue(_l("Answer yes or no."))
    if kind == "user":
        if not str(raw).isdigit():
            raise BadValue(_l("Choose a user."))
        return int(raw)
    raise ValueError(f"unknown custom field type {kind}")


@dataclass(frozen=True)
class FieldSpec:
    type: str
    options: tuple = ()
    required: bool = False


def converts(new_type: str, new_options, value) -> bool:
    """Whether a stored value survives a change to new_type (and options) without loss."""
    if value is None:
        return True
    if isinstance(value, list):
        raw = value if new_type == "multi_choice" else ",".join(value)
    elif isinstance(value, bool):
        raw = "yes" if value else "no"
    else:
        raw = str(value)
    try:
        parse(FieldSpec(new_type, tuple(new_options or ())), raw)
        return True
    except BadValue:
        return False


def display(field, value) -> str:
    if value is None:
        return ""
    if field.type == "user":
        return _user_names().get(value, str(value))
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    return str(value)


def _user_names() -> dict[int, str]:
    """Every user's name by id, read once per request and tenant (a list shows a user field
    per row). Deactivated users keep their name: the value still names who it was."""
    import sqlalchemy as sa
    from flask import g

    from app.auth.models import User
    from app.extensions import db
    from tenants.context import require_tenant

    # Keyed by schema: one app context (a CLI run, a job) may visit several tenants.
    cache = g.setdefault("custom_field_user_names", {})
    schema = require_tenant().schema
    if schema not in cache:
        cache[schema] = dict(db.session.execute(sa.select(User.id, User.name)).all())
    return cache[schema]
