"""Adding a tenant's custom fields to a record's form (the web form and import rows alike)."""
import sqlalchemy as sa
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from app.customfields.services import fields_of
from app.customfields.values import BadValue, parse

PREFIX = "cf_"


def _checker(definition):
    def check(form, field):
        try:
            field.parsed = parse(definition, field.data)
        except BadValue as problem:
            raise ValidationError(str(problem))
    return check


def _user_choices():
    from app.auth.models import User
    from app.extensions import db

    users = db.session.execute(sa.select(User.id, User.name).where(User.active).order_by(User.name))
    return [("", "—")] + [(str(user_id), name) for user_id, name in users]


def _wtf_field(definition):
    options = dict(label=definition.label, description=definition.help_text or "",
                   validators=[_checker(definition)])
    kind = definition.type
    if kind == "long_text":
        return TextAreaField(**options)
    if kind == "choice":
        return SelectField(choices=[("", "—")] + [(o, o) for o in definition.options], **options)
    if kind == "multi_choice":
        return SelectMultipleField(choices=[(o, o) for o in definition.options], **options)
    if kind == "yes_no":
        return BooleanField(**options)
    if kind == "user":
        return SelectField(choices=_user_choices(), **options)
    if kind == "date":
        return StringField(render_kw={"type": "date"}, **options)
    return StringField(**options)


def with_custom_fields(form_class, entity: str):
    """form_class plus one cf_<key> field per active custom field of entity, in their order."""
    definitions = fields_of(entity)
    attributes = {PREFIX + d.key: _wtf_field(d) for d in definitions}
    attributes["custom_definitions"] = definitions

    def cleaned(self):
        values = form_class.cleaned(self)
        values["custom"] = custom_values(self)
        return values

    attributes["cleaned"] = cleaned
    return type(form_class.__name__ + "WithCustom", (form_class,), attributes)


def custom_values(form) -> dict:
    """The validated custom values of a submitted form made by with_custom_fields."""
    return {d.key: getattr(form[PREFIX + d.key], "parsed", None)
            for d in form.custom_definitions if PREFIX + d.key in form._fields}


def fill_custom(form, record) -> None:
    """Show a record's stored custom values in its edit form."""
    for definition in form.custom_definitions:
        value = (record.custom or {}).get(definition.key)
        field = form[PREFIX + definition.key]
        if definition.type == "multi_choice":
            field.data = value or []
        elif definition.type == "yes_no":
            field.data = bool(value)
        else:
            field.data = "" if value is None else str(value)
