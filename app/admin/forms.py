"""Forms of the administration pages. Choices are filled by the view from the tenant's data."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, NumberRange

from app.admin.labels import KIND_NAMES, VISIBILITY_NAMES
from app.org.models import UNIT_KINDS
from app.selects import select_choices

NONE = 0  # the "no unit / no manager / no parent" choice of an optional select


def optional_id(value: int) -> int | None:
    return None if value in (None, NONE) else value


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), coerce=int)
    unit = SelectField(_l("Unit"), coerce=int)
    submit = SubmitField(_l("Send invitation"))


class UserForm(FlaskForm):
    role = SelectField(_l("Role"), coerce=int)
    unit = SelectField(_l("Unit"), coerce=int)
    submit = SubmitField(_l("Save"))


class ReassignForm(FlaskForm):
    to_user = SelectField(_l("Give the records to"), coerce=int)
    submit = SubmitField(_l("Reassign records"))


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=select_choices((k, KIND_NAMES[k]) for k in UNIT_KINDS))
    parent = SelectField(_l("Part of"), coerce=int)
    manager = SelectField(_l("Manager"), coerce=int)
    submit = SubmitField(_l("Save"))


class CopyRoleForm(FlaskForm):
    name = StringField(_l("Name of the copy"), validators=[InputRequired(), Length(max=80)])
    submit = SubmitField(_l("Copy role"))


class RoleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=80)])
    visibility = SelectField(_l("Records this role sees"),
                             choices=select_choices(VISIBILITY_NAMES.items()))
    owner = BooleanField(_l("Owner: full control of the workspace, billing included"))
    submit = SubmitField(_l("Save role"))


class StageForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=80)])
    probability = IntegerField(
        _l("Default probability (%)"),
        description=_l("Given to a deal when it enters this stage. Deals already in the stage "
                       "keep theirs unless you tick the box below."),
        validators=[InputRequired(),
                    NumberRange(min=0, max=100, message=_l("Between 0 and 100."))])
    apply_to_deals = BooleanField(
        _l("Also set this probability on the open deals now in this stage"))
    submit = SubmitField(_l("Save"))


class RemoveStageForm(FlaskForm):
    # Checked by the service (app/sales/stages.py), which needs it only when deals are in the
    # stage; "" (nothing chosen yet) is None, so the service can say what is missing.
    move_to = SelectField(_l("Move its opportunities to"), validate_choice=False,
                          coerce=lambda value: None if value in (None, "") else int(value))
    submit = SubmitField(_l("Remove the stage"))
