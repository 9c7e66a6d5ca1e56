"""The approval rule form and the decision form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

APPROVER_NAMES = {"unit_manager": _l("The unit manager"),
                  "director": _l("The director (the manager above the unit manager)"),
                  "role": _l("Anyone with the role")}


class RuleForm(FlaskForm):
    condition = SelectField(_l("When"))
    threshold = DecimalField(_l("is above"), places=2, validators=[
        InputRequired(), NumberRange(min=0, message=_l("Must be zero or more."))])
    approver = SelectField(_l("Approved by"), choices=list(APPROVER_NAMES.items()))
    role = SelectField(_l("Role"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save rule"))


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])
