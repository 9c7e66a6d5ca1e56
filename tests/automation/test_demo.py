"""The demo workspace runs the two ready-made rules: new leads in turn, stale deals remind."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.auth.models import User
from app.automation.models import AutomationRule
from app.automation.schedule import run_date_rules
from app.customers.services import create_customer
from app.extensions import db
from app.opportunities.models import Opportunity
from app.tasks.models import Task
from tenants.context import tenant_scope
from tenants.models import Tenant
from tests.automation.conftest import run_committed_events


def test_the_demo_rules_assign_new_leads_in_turn_and_remind_stale_deals(app, notified):
    from app.demo import ensure_demo

    with app.app_context():
        ensure_demo()
        demo = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "demo")).one()
    with app.test_request_context(), tenant_scope(demo):
        rules = db.session.scalars(sa.select(AutomationRule).order_by(AutomationRule.id)).all()
        assert [(r.trigger, r.active) for r in rules] == [("created", True), ("inactive", True)]
        unit_id = rules[0].actions[0]["unit_id"]
        in_unit = set(db.session.scalars(sa.select(User.id).where(User.unit_id == unit_id, User.active)))
        admin = db.session.scalars(sa.select(User).order_by(User.id)).first()
        leads = [create_customer({"name": f"演示线索 {n}", "type": "prospect"}, admin.id)
                 for n in range(2)]
        run_committed_events()
        assert {lead.owner_id for lead in leads} <= in_unit
        open_deals = db.session.scalars(sa.select(Opportunity.id).where(
            Opportunity.closed_on.is_(None), Opportunity.deleted_at.is_(None))).all()
        assert open_deals
        run_date_rules(datetime.now(timezone.utc) + timedelta(days=15))
        reminded = set(db.session.scalars(sa.select(Task.related_id).where(
            Task.related_type == "opportunity")))
        assert reminded == set(open_deals)
        assert len([n for n in notified if n[1] == "automation"]) == len(open_deals)
        db.session.rollback()
