"""Stage history of one deal, and stage durations and conversion over all deals."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.opportunities.models import StageChange
from app.sales.models import PipelineStage
from app.sales.stages import live_stages


@dataclass(frozen=True)
class HistoryRow:
    change: StageChange
    stage: str
    duration: timedelta  # until the next change, or until now for the current stage


def stage_history(opportunity_id: int, now: datetime | None = None) -> list[HistoryRow]:
    now = now or datetime.now(timezone.utc)
    names = dict(db.session.execute(sa.select(PipelineStage.id, PipelineStage.name)).all())
    changes = db.session.scalars(sa.select(StageChange).where(
        StageChange.opportunity_id == opportunity_id)
        .order_by(StageChange.changed_at, StageChange.id)).all()
    ends = [c.changed_at for c in changes[1:]] + [now]
    return [HistoryRow(c, names.get(c.to_stage_id, "?"), end - c.changed_at)
            for c, end in zip(changes, ends)]


@dataclass(frozen=True)
class StageStats:
    stage: PipelineStage
    entered: int          # deals that ever entered this stage
    moved_on: int         # of those, deals that later entered a later stage (won included)
    won: int              # of those, deals that later entered a won stage
    average_days: float | None  # average time spent in the stage before leaving it

    @property
    def conversion(self) -> float | None:
        return None if not self.entered else self.moved_on / self.entered

    @property
    def win_rate(self) -> float | None:
        return None if not self.entered else self.won / self.entered


STATS_SQL = sa.text("""
WITH c AS (
  SELECT ch.opportunity_id, ch.to_stage_id, s.position, s.outcome, ch.changed_at,
         lead(ch.changed_at) OVER w AS left_at, row_number() OVER w AS seq
  FROM opportunity_stage_changes ch JOIN pipeline_stages s ON s.id = ch.to_stage_id
  WINDOW w AS (PARTITION BY ch.opportunity_id ORDER BY ch.changed_at, ch.id)
)
SELECT e.to_stage_id,
       count(DISTINCT e.opportunity_id) AS entered,
       count(DISTINCT e.opportunity_id) FILTER (WHERE EXISTS (
         SELECT 1 FROM c l WHERE l.opportunity_id = e.opportunity_id
           AND l.seq > e.seq AND l.outcome <> 'lost'
           AND (l.position > e.position OR l.outcome = 'won'))) AS moved_on,
       count(DISTINCT e.opportunity_id) FILTER (WHERE EXISTS (
         SELECT 1 FROM c l WHERE l.opportunity_id = e.opportunity_id
           AND l.seq >= e.seq AND l.outcome = 'won')) AS won,
       avg(extract(epoch FROM e.left_at - e.changed_at) / 86400)
         FILTER (WHERE e.left_at IS NOT NULL) AS average_days
FROM c e GROUP BY e.to_stage_id
""")


def stage_stats() -> list[StageStats]:
    rows = {row.to_stage_id: row for row in db.session.execute(STATS_SQL)}
    result = []
    for stage in live_stages():
        row = rows.get(stage.id)
        result.append(StageStats(
            stage, row.entered if row else 0, row.moved_on if row else 0, row.won if row else 0,
            float(row.average_days) if row and row.average_days is not None else None))
    return result
