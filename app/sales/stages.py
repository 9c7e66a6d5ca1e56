"""Editing a tenant's pipeline stages: add, rename, default probability, order, remove.

Rules (docs/SALES.md, "Editing the stages"):
- exactly one won and one lost stage, always last (won, then lost); they can be
  renamed but not moved or removed, and their probabilities stay 100 and 0;
- names are unique among the live stages (ignoring case);
- removing a stage that deals are in moves those deals to a stage the admin
  chooses, each move recorded in the deal's stage history; the removed stage
  stays as a row (removed_at set) so past history keeps its name.

Every change is in the audit log (PipelineStage and Opportunity are audited).
Flush, never commit.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l, ngettext

from app.extensions import db
from app.opportunities.models import Opportunity
from app.sales.models import PipelineStage

FIXED_PROBABILITY = {"won": 100, "lost": 0}
CLOSED_ORDER = ("won", "lost")


class StageError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def live_stages() -> list[PipelineStage]:
    """The stages in use, in board order."""
    return list(db.session.scalars(sa.select(PipelineStage).where(
        PipelineStage.removed_at.is_(None)).order_by(PipelineStage.position, PipelineStage.id)))


def deal_counts() -> dict[int, int]:
    """Live (not deleted) deals per stage id."""
    return dict(db.session.execute(
        sa.select(Opportunity.stage_id, sa.func.count()).where(Opportunity.deleted_at.is_(None))
        .group_by(Opportunity.stage_id)).all())


def _check(name: str, probability, stage: PipelineStage | None) -> str:
    name = (name or "").strip()
    if not name:
        raise StageError("name", _l("Give the stage a name."))
    if len(name) > 80:
        raise StageError("name", _l("At most 80 characters."))
    if probability is None or not 0 <= probability <= 100:
        raise StageError("probability", _l("Between 0 and 100."))
    if stage is not None and stage.closed and probability != FIXED_PROBABILITY[stage.outcome]:
        raise StageError("probability", _l(
            "The won stage's probability is always 100 and the lost stage's 0."))
    taken = db.session.scalar(sa.select(PipelineStage.id).where(
        sa.func.lower(PipelineStage.name) == name.lower(), PipelineStage.removed_at.is_(None),
        PipelineStage.id != (stage.id if stage is not None else -1)))
    if taken:
        raise StageError("name", _l("Another stage already has this name."))
    return name


def _renumber(open_stages: list[PipelineStage]) -> None:
    """Positions 1..n: the open stages in the given order, then won, then lost."""
    closed = sorted((s for s in live_stages() if s.closed),
                    key=lambda s: (CLOSED_ORDER.index(s.outcome), s.position, s.id))
    for position, stage in enumerate([*open_stages, *closed], start=1):
        if stage.position != position:
            stage.position = position
    db.session.flush()


def _open_stages() -> list[PipelineStage]:
    return [s for s in live_stages() if not s.closed]


def add_stage(name: str, probability: int) -> PipelineStage:
    """A new open stage, after the other open stages (before won and lost)."""
    name = _check(name, probability, None)
    stage = PipelineStage(name=name, probability=probability, outcome="open", position=0)
    opened = _open_stages()
    db.session.add(stage)
    _renumber([*opened, stage])
    return stage


def change_stage(stage: PipelineStage, name: str, probability: int,
                 apply_to_deals: bool = False) -> int:
    """Rename a stage or change its default probability. The deals already in it keep
    theirs (it may have been set by hand) unless apply_to_deals; returns how many changed."""
    stage.name = _check(name, probability, stage)
    stage.probability = probability
    changed = 0
    if apply_to_deals and not stage.closed:
        for deal in db.session.scalars(sa.select(Opportunity).where(
                Opportunity.stage_id == stage.id, Opportunity.deleted_at.is_(None),
                Opportunity.probability != probability)).all():
            deal.probability = probability  # one by one: each change is audited
            changed += 1
    db.session.flush()
    return changed


def move_stage(stage: PipelineStage, direction: str) -> bool:
    """Move an open stage one place up or down among the open stages; False if it cannot."""
    opened = _open_stages()
    if stage.closed or stage not in opened or direction not in ("up", "down"):
        return False
    index = opened.index(stage)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(opened):
        return False
    opened[index], opened[other] = opened[other], opened[index]
    _renumber(opened)
    return True


def remove_stage(stage: PipelineStage, move_to_id: int | None, actor_id: int | None) -> int:
    """Remove an open stage; its deals move to move_to_id first. Returns how many moved."""
    from app.opportunities.services import move_stage as move_deal

    if stage.closed:
        raise StageError("stage", _l("The won and lost stages cannot be removed."))
    others = [s for s in live_stages() if s.id != stage.id]
    if not any(not s.closed for s in others):
        raise StageError("stage", _l("Keep at least one open stage: new deals start in one."))
    deals = list(db.session.scalars(sa.select(Opportunity).where(
        Opportunity.stage_id == stage.id).order_by(Opportunity.id)))
    live = sum(1 for d in deals if d.deleted_at is None)
    target = next((s for s in others if s.id == move_to_id), None)
    if live and target is None:
        raise StageError("move_to", ngettext(
            "%(num)d opportunity is in this stage. Choose the stage it moves to.",
            "%(num)d opportunities are in this stage. Choose the stage they move to.", live))
    # Deleted deals move too (to the first open stage unless one was chosen): no deal,
    # deleted or not, may sit in a removed stage.
    target = target or next(s for s in others if not s.closed)
    reason = str(_l("Stage “%(name)s” was removed.", name=stage.name))
    for deal in deals:
        move_deal(deal, target.id, actor_id, reason)
    stage.removed_at = datetime.now(timezone.utc)
    db.session.flush()
    _renumber([s for s in others if not s.closed])
    return live
