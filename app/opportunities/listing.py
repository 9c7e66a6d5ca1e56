"""The opportunity list's custom-field columns and filters.

The list's own columns and filters are fixed (app/opportunities/board.py and
its template); the tenant's opportunity custom fields add a column each (shown
when ticked in the column chooser) and a filter each, read the same way as on
the customer list (app/lists/spec.py).
"""
from flask import flash
from flask_babel import gettext as _

from app.lists.spec import ListSpec, read_filters
from app.opportunities.models import Opportunity


def custom_spec(definitions) -> ListSpec:
    """A spec holding only the custom-field columns and filters (keys cf_<key>)."""
    return ListSpec(Opportunity, (), ()).with_custom_fields(definitions)


def custom_filters(spec: ListSpec, args) -> tuple[tuple, dict]:
    """(WHERE conditions, the custom filters in force); unreadable filters are flashed, ignored."""
    conditions, problems, active = read_filters(spec.filters, args)
    for label in problems:
        flash(_("The filter “%(label)s” could not be read and was ignored.", label=label),
              "warning")
    return tuple(conditions), active
