"""The form an admin defines a custom field with."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

# The record types an admin can add fields to. models.ENTITIES also allows "tickets", for
# the service module; it is offered here once tickets have forms to show the fields in.
ENTITY_LABELS = {"customers": _l("Customers"), "contacts": _l("Contacts"),
                 "opportunities": _l("Opportunities")}
TYPE_LABELS = {
    "text": _l("Text"), "long_text": _l("Long text"), "number": _l("Number"), "money": _l("Money"),
    "date": _l("Date"), "choice": _l("Single choice"), "multi_choice": _l("Multiple choice"),
    "yes_no": _l("Yes / no"), "user": _l("User"),
}


class CustomFieldForm(FlaskForm):
    entity = SelectField(_l("On"), choices=list(ENTITY_LABELS.items()))
    key = StringField(_l("Key"), validators=[InputRequired(), Length(max=40)],
                      description=_l("Used in imports and exports, e.g. store_size. Cannot change later."))
    label = StringField(_l("Label"), validators=[InputRequired(), Length(max=80)])
    type = SelectField(_l("Type"), choices=list(TYPE_LABELS.items()))
    options = TextAreaField(_l("Choices"), validators=[Optional(), Length(max=4000)],
                            description=_l("One per line, for single and multiple choice."))
    required = BooleanField(_l("Required"))
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 999)])
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))

    def option_list(self) -> list[str]:
        lines = (self.options.data or "").replace("，", "\n").replace(",", "\n").splitlines()
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))
