"""The ready-made rules of the demo workspace: new leads assigned in turn within the unit
with the most active users, and stale deals reminding their owners."""
import sqlalchemy as sa

from app.auth.models import User
from app.automation.models import AutomationRule
from app.automation.ready import rule_columns
from app.extensions import db


def add_demo_rules(admin_id: int) -> None:
    busiest_unit = db.session.scalar(
        sa.select(User.unit_id).where(User.active, User.unit_id.is_not(None))
        .group_by(User.unit_id).order_by(sa.func.count().desc(), User.unit_id).limit(1))
    for key in ("lead_round_robin", "stale_deal"):
        if key == "lead_round_robin" and busiest_unit is None:
            continue
        db.session.add(AutomationRule(created_by_id=admin_id, **rule_columns(key, busiest_unit)))
    db.session.flush()
