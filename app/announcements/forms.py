from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.org.services import unit_choices
from app.selects import select_choices

EVERYONE = 0


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])
    unit = SelectField(_l("For"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = select_choices(
            [(EVERYONE, str(_l("Everyone")))] + unit_choices())

    @property
    def unit_id(self) -> int | None:
        return None if self.unit.data == EVERYONE else self.unit.data
