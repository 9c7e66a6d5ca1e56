"""Defining custom fields; a type change that would lose stored values is refused."""
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.customfields.models import ENTITIES, FIELD_TYPES, CustomField
from app.customfields.values import converts
from app.extensions import db

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class FieldError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def fields_of(entity: str, include_inactive: bool = False) -> list[CustomField]:
    query = sa.select(CustomField).where(CustomField.entity == entity)
    if not include_inactive:
        query = query.where(CustomField.active)
    return list(db.session.scalars(query.order_by(CustomField.position, CustomField.id)))


def _entity_model(entity: str):
    from app.contacts.models import Contact
    from app.customers.models import Customer
    from app.opportunities.models import Opportunity

    return {"customers": Customer, "contacts": Contact,
            "opportunities": Opportunity}.get(entity)


def _check(entity, key, field_type, options) -> None:
    if entity not in ENTITIES:
        raise FieldError("entity", _l("Unknown record type."))
    if not KEY.match(key or ""):
        raise FieldError("key", _l("Lower-case letters, digits and _; start with a letter."))
    if field_type not in FIELD_TYPES:
        raise FieldError("type", _l("Unknown field type."))
    if field_type in ("choice", "multi_choice") and not options:
        raise FieldError("options", _l("List at least one choice."))


def define(entity: str, key: str, label: str, field_type: str, *, required=False, position=0,
           help_text=None, options=()) -> CustomField:
    _check(entity, key, field_type, options)
    taken = db.session.scalar(sa.select(CustomField.id).where(
        CustomField.entity == entity, CustomField.key == key))
    if taken:
        raise FieldError("key", _l("This record type already has a field with this key."))
    field = CustomField(entity=entity, key=key, label=label, type=field_type, required=required,
                        position=position, help_text=help_text, options=list(options))
    db.session.add(field)
    db.session.flush()
    return field


def change(field: CustomField, *, label: str, field_type: str, required: bool, position: int,
           help_text: str | None, options, active: bool = True) -> CustomField:
    """Update a definition; refused if some record's value would not survive the new type."""
    _check(field.entity, field.key, field_type, options)
    if field_type != field.type or set(options) != set(field.options):
        model = _entity_model(field.entity)
        if model is not None:
            values = db.session.scalars(sa.select(model.custom[field.key]).where(
                model.custom.has_key(field.key)).distinct().limit(10000))
            lost = [v for v in values if not converts(field_type, options, v)]
            if lost:
                raise FieldError("type", _l(
                    "%(n)d stored values would be lost, e.g. “%(example)s”. Change those records "
                    "first, or add a new field instead.", n=len(lost), example=lost[0]))
    field.label, field.type, field.required = label, field_type, required
    field.position, field.help_text, field.options, field.active = (
        position, help_text, list(options), active)
    db.session.flush()
    return field
