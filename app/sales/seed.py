"""Default pipeline stages of a new tenant, named in the tenant's language."""
import sqlalchemy as sa

from app.sales.models import PipelineStage

DEFAULT_STAGES = [
    # (en, zh_Hans, zh_Hant), probability %, outcome
    (("Qualify", "初步接洽", "初步接洽"), 10, "open"),
    (("Needs analysis", "需求分析", "需求分析"), 25, "open"),
    (("Proposal / quote", "方案报价", "方案報價"), 50, "open"),
    (("Negotiation", "商务谈判", "商務談判"), 75, "open"),
    (("Won", "赢单", "贏單"), 100, "won"),
    (("Lost", "输单", "輸單"), 0, "lost"),
]
_LANGUAGE_INDEX = {"en": 0, "zh_Hans": 1, "zh_Hant": 2}


def seed_stages(session, locale: str) -> None:
    index = _LANGUAGE_INDEX.get(locale, 0)
    session.execute(
        sa.insert(PipelineStage),
        [
            {"name": names[index], "position": position, "probability": probability,
             "outcome": outcome}
            for position, (names, probability, outcome) in enumerate(DEFAULT_STAGES, start=1)
        ],
    )
