"""Factories of the automation tests (the `scope` fixture and `owner_id` live in tests/conftest.py)."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.automation import capture
from app.automation.jobs import run_pairs
from app.automation.models import AutomationRule, RuleRun
from app.customers.services import create_customer
from app.extensions import db
from app.opportunities.models import Opportunity
from app.sales.models import PipelineStage
from tests.conftest import owner_id


def rule(record_type="customer", trigger="created", actions=None, conditions=(), **columns):
    made = AutomationRule(name=columns.pop("name", "Rule"), active=True, record_type=record_type,
                          trigger=trigger, conditions=list(conditions),
                          actions=actions or [{"type": "task", "title": "Call {{ record.name }}",
                                               "assignee": "owner", "due_days": 2}],
                          **columns)
    db.session.add(made)
    db.session.flush()
    return made


def customer(name="连天红家具", **values):
    return create_customer({"name": name, **values}, owner_id())


def deal(name="一百套沙发", close: date | None = None, **values):
    stage = db.session.scalars(sa.select(PipelineStage).where(PipelineStage.outcome == "open")
                               .order_by(PipelineStage.position)).first()
    made = Opportunity(name=name, customer_id=customer(f"客户 {name}").id, amount=1000,
                       currency="CNY", probability=10, stage_id=stage.id, expected_close=close,
                       owner_id=values.pop("owner_id", owner_id()), **values)
    db.session.add(made)
    db.session.flush()
    return made


def run_committed_events():
    """What the after-commit job does for this transaction's changes, without committing."""
    session = db.session()
    session.flush()
    runs = capture.matching_runs(session.info.pop(capture._EVENTS, []), session)
    run_pairs(runs)
    return runs


def runs_of(made) -> list[RuleRun]:
    return db.session.scalars(sa.select(RuleRun).where(RuleRun.rule_id == made.id)
                              .order_by(RuleRun.id)).all()


@pytest.fixture
def notified(monkeypatch):
    """Every notify() call, as (user_ids, event, message, params)."""
    import app.notifications

    calls, real = [], app.notifications.notify

    def spy(user_ids, event, message, params=None, *, subject=None, actor_id=None):
        assert event in app.notifications.EVENTS
        calls.append((list(user_ids), event, message, params or {}))
        real(user_ids, event, message, params, subject=subject, actor_id=actor_id)

    monkeypatch.setattr(app.notifications, "notify", spy)
    return calls


@pytest.fixture
def mailed(monkeypatch):
    import app.mail

    calls = []
    monkeypatch.setattr(app.mail, "send_after_commit",
                        lambda to, subject, text, html=None, **kw: calls.append((to, subject, text)))
    return calls
