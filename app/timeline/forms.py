"""Quick actions on a customer's 360 page: log a call, add a note, record a meeting."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

ENTRY_LABELS = {
    "note": _l("Note"), "call": _l("Call"), "meeting": _l("Meeting"), "email": _l("E-mail"),
    "task": _l("Task"), "quote": _l("Quote"), "order": _l("Order"), "ticket": _l("Ticket"),
    "opportunity": _l("Opportunity"), "ownership": _l("New sales rep"), "merge": _l("Merged"),
    "attachment": _l("Document"), "automation": _l("Automation"), "comment": _l("Comment"),
}
QUICK_KINDS = {"note": _l("Note"), "call": _l("Call"), "meeting": _l("Meeting"),
               "email": _l("E-mail")}


class QuickEntryForm(FlaskForm):
    kind = SelectField(_l("What"), choices=list(QUICK_KINDS.items()), default="note")
    title = StringField(_l("Summary"), validators=[InputRequired(), Length(max=200)])
    body = TextAreaField(_l("Details"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Add"))
