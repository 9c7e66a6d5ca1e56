"""Reminders: meetings N minutes before, and each morning's deal follow-ups, quiet deals,
birthdays, reorders and expiring quotes, each sent once per occasion, even by two ticks
running at the same moment."""
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.calendar import reminders
from app.calendar.models import Meeting, ReminderSent
from app.contacts.services import create_contact
from app.customers.services import create_customer
from app.extensions import db
from app.job_scope import job_scope
from app.opportunities.models import Opportunity
from app.opportunities.services import create_opportunity
from app.products.services import save_product
from app.quotes import services as quotes, workflow
from app.quotes.services import LineEntry
from app.sales.models import PipelineStage
from app.timeline.models import TimelineEntry
from app.timeline.services import add_entry
from tenants.context import tenant_scope
from tests.calendar.helpers import UTC, meeting
from tests.conftest import owner_id

# 09:00 in Shanghai on Thursday 10 December 2026: past everyone's 08:00.
NOW = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
TODAY = date(2026, 12, 10)


@pytest.fixture
def sent(monkeypatch):
    calls = []
    lock = threading.Lock()

    def spy(user_ids, event, message, params, subject=None, actor_id=None):
        with lock:
            calls.append((tuple(user_ids), event, message, subject))
    monkeypatch.setattr(reminders, "notify", spy)
    return calls


def _world(app, tenant) -> dict:
    """One occasion of every morning kind, owned by the tenant's owner (in Shanghai)."""
    with app.test_request_context(), tenant_scope(tenant):
        owner = owner_id()
        db.session.execute(sa.update(User).values(time_zone="Asia/Shanghai"))
        first = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).first()
        client = create_customer({"name": "连天红家具"}, owner)

        def deal(name, **extra):
            return create_opportunity({"name": name, "customer_id": client.id, "amount": D("100"),
                                       "currency": "CNY", "stage_id": first.id, "probability": None,
                                       **extra}, owner)
        follow = deal("Follow me", next_step="Send samples", next_step_date=TODAY)
        later = deal("Not yet", next_step_date=TODAY + timedelta(days=1))
        quiet = deal("Quiet deal")
        busy = deal("Busy deal")
        twenty_days_ago = NOW - timedelta(days=20)
        db.session.execute(sa.update(Opportunity).values(updated_at=twenty_days_ago))
        db.session.execute(sa.update(TimelineEntry).values(occurred_at=twenty_days_ago))
        add_entry(customer_id=client.id, kind="note", title="Talked", user_id=owner,
                  subject=("opportunity", busy.id), occurred_at=NOW - timedelta(days=2))
        birthday = create_contact({"name": "王经理", "customer_code": client.code,
                                   "birthday": date(1980, 12, 10)}, owner)
        create_contact({"name": "Tomorrow", "customer_code": client.code, "birthday": date(1980, 12, 11)}, owner)
        save_product(None, {"code": "SOFA-1", "name": "Sofa", "tax_rate": D("13"), "cost": None,
                            "list_prices": {"CNY": D("1000.00")}})
        entry = LineEntry("SOFA-1", D("1"), D("1000"))
        reorder = create_customer({"name": "Regular buyer", "reorder_interval_days": 30}, owner)
        ordered = quotes.create_quote({"customer_id": reorder.id, "currency": "CNY", "discount_percent": D("0"),
                                       "valid_until": date(2099, 1, 1)}, [entry], owner)
        workflow.submit(ordered, owner)
        order = workflow.accept(ordered, owner)
        order.ordered_at = NOW - timedelta(days=31)
        expiring = quotes.create_quote({"customer_id": client.id, "currency": "CNY", "discount_percent": D("0"),
                                        "valid_until": TODAY + timedelta(days=2)}, [entry], owner)
        workflow.submit(expiring, owner)
        db.session.commit()
        return {"owner": owner, "follow": follow.id, "later": later.id, "quiet": quiet.id,
                "busy": busy.id, "birthday": birthday.id, "reorder": reorder.id,
                "expiring": expiring.id, "expiring_status": expiring.status}


def _run(app, tenant, handler, now=NOW):
    with app.app_context(), job_scope(tenant, name="test tick"):
        return handler(now)


def test_each_morning_kind_fires_once(app, tenant, sent):
    world = _world(app, tenant)
    assert world["expiring_status"] in ("approved", "sent")
    next_run = _run(app, tenant, reminders.send_morning_reminders)
    assert next_run == datetime(2026, 12, 11, 0, 0, tzinfo=UTC)  # 08:00 tomorrow in Shanghai
    subjects = sorted(subject for _ids, _event, _message, subject in sent)
    assert subjects == sorted([
        ("opportunity", world["follow"]),                            # next step today
        ("opportunity", world["quiet"]), ("opportunity", world["follow"]),  # quiet 20 days
        ("opportunity", world["later"]),
        ("contact", world["birthday"]),
        ("customer", world["reorder"]),
        ("quote", world["expiring"])])
    assert {ids for ids, *_ in sent} == {(world["owner"],)} and {e for _i, e, *_ in sent} == {"reminder"}
    sent.clear()
    _run(app, tenant, reminders.send_morning_reminders)
    _run(app, tenant, reminders.send_morning_reminders, NOW + timedelta(hours=5))
    assert sent == []
    with app.app_context(), tenant_scope(tenant):
        kinds = sorted(db.session.scalars(sa.select(ReminderSent.kind)))
    assert kinds == ["birthday", "next_step", "quote_expiry", "reorder",
                     "stale_deal", "stale_deal", "stale_deal"]


def test_nothing_fires_before_the_local_morning_and_new_activity_starts_a_new_quiet_spell(app, tenant, sent):
    world = _world(app, tenant)
    _run(app, tenant, reminders.send_morning_reminders, datetime(2026, 12, 9, 23, 0, tzinfo=UTC))  # 07:00
    assert sent == []
    _run(app, tenant, reminders.send_morning_reminders)
    sent.clear()
    with app.app_context(), tenant_scope(tenant):
        db.session.execute(sa.update(Opportunity).where(Opportunity.id == world["quiet"]).values(
            updated_at=NOW + timedelta(days=1)))
        db.session.commit()
    _run(app, tenant, reminders.send_morning_reminders, NOW + timedelta(days=16))
    assert ("opportunity", world["quiet"]) in [s for *_x, s in sent]


def test_two_ticks_at_once_send_each_reminder_once(app, tenant, sent):
    _world(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.get(User, owner_id())
        for n in range(20):
            meeting(owner, title=f"Call {n}", starts=NOW + timedelta(minutes=10),
                    ends=NOW + timedelta(minutes=40), remind_minutes=15)
        db.session.commit()
    barrier = threading.Barrier(2)
    errors = []

    def tick():
        try:
            barrier.wait()
            with app.app_context(), job_scope(tenant, name="tick"):
                reminders.send_meeting_reminders(NOW)
                reminders.send_morning_reminders(NOW)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    meeting_reminders = [s for *_x, s in sent if s[0] == "meeting"]
    assert len(meeting_reminders) == len(set(meeting_reminders)) == 20
    assert len(sent) == 20 + 7
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).where(Meeting.reminded_at.is_(None))) == 0


def test_meeting_reminders_go_to_organizer_and_colleagues_and_not_for_canceled_ones(app, tenant, sent):
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.get(User, owner_id())
        from tests.calendar.helpers import user
        colleague = user(time_zone="America/New_York")
        gone = user()
        gone.active = False
        kept = meeting(owner, starts=NOW + timedelta(hours=1), ends=NOW + timedelta(hours=2),
                       remind_minutes=60, user_ids=(colleague.id,))
        canceled = meeting(owner, starts=NOW + timedelta(hours=1), ends=NOW + timedelta(hours=2),
                           remind_minutes=60)
        canceled.canceled_at = NOW
        later = meeting(owner, starts=NOW + timedelta(days=1), ends=NOW + timedelta(days=1, hours=1),
                        remind_minutes=10)
        meeting(owner, title="Entered afterwards", starts=datetime(2026, 11, 1, tzinfo=UTC),
                ends=datetime(2026, 11, 1, 1, tzinfo=UTC), remind_minutes=10)
        db.session.commit()
        ids = kept.id, colleague.id, later.id
    assert _run(app, tenant, reminders.send_meeting_reminders) == NOW + timedelta(days=1, minutes=-10)
    assert sorted((who, s) for who, _e, _m, s in sent) == sorted(
        [((owner_id_(app, tenant),), ("meeting", ids[0])), ((ids[1],), ("meeting", ids[0]))])
    sent.clear()
    _run(app, tenant, reminders.send_meeting_reminders)
    assert sent == []


def owner_id_(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return owner_id()
