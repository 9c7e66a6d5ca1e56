"""The competitor list's columns and sorts (app/lists: keyset pages, saved views).

The search box is the search builder's (name, products, strengths …), applied by
app.lists.spec.apply_filters as on every list.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.competitors.models import Competitor
from app.lists.spec import Column, ListSpec

COMPETITOR_LIST = ListSpec(
    model=Competitor,
    columns=(Column("name", _l("Name"), lambda c: c.name, default=True),),
    filters=(),
    sorts={"name": (_l("Name"), Competitor.name)},
    default_sort="name",
)


def competitors_query() -> sa.Select:
    return sa.select(Competitor)
