"""Competitors and deal SWOTs in the search builder: the searchable knowledge of past deals."""
from flask_babel import lazy_gettext as _l

from app.competitors.models import Competitor, OpportunityCompetitor
from app.search.builder import SearchSpec, register
from app.search.tokenizer import tokens


def competitor_document(competitor) -> dict[str, list[str]]:
    return {
        "A": tokens(competitor.name),
        "C": tokens(competitor.products) + tokens(competitor.strengths)
        + tokens(competitor.weaknesses) + tokens(competitor.notes),
    }


def swot_document(swot) -> dict[str, list[str]]:
    return {"C": tokens(swot.strengths) + tokens(swot.weaknesses) + tokens(swot.opportunities)
            + tokens(swot.threats) + tokens(swot.strategy)}


register(SearchSpec(
    Competitor, "competitor", competitor_document, label=_l("Competitors"), module="sales",
    title=lambda c: c.name, link=lambda c: ("workspace.competitors.show", {"competitor_id": c.id})))
register(SearchSpec(OpportunityCompetitor, "swot", swot_document))
