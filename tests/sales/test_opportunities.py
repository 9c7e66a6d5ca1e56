"""Opportunities: stage history with dates, conversion, reopening won deals, timeline, merges."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.customers.merging import merge_customers
from app.extensions import db
from app.forecast.rates import set_rate
from app.i18n import workspace_today
from app.opportunities import services
from app.opportunities.history import stage_history, stage_stats
from app.opportunities.models import StageChange
from app.timeline.models import TimelineEntry
from tests.conftest import add_user, login
from tests.sales.conftest import customer, owner_id, stage


def deal(client_customer, name="一百套沙发", amount="10000", currency="CNY", position=1, **extra):
    values = {"name": name, "customer_id": client_customer.id, "amount": D(amount),
              "currency": currency, "stage_id": stage(position).id, "probability": None,
              "expected_close": date(2026, 12, 15), **extra}
    return services.create_opportunity(values, owner_id())


def test_a_new_deal_starts_its_stage_history_and_is_on_the_timeline(scope):
    opportunity = deal(customer())
    assert opportunity.probability == 10  # the stage's default
    changes = db.session.scalars(sa.select(StageChange)).all()
    assert [(c.from_stage_id, c.to_stage_id) for c in changes] == [(None, stage(1).id)]
    titles = db.session.scalars(sa.select(TimelineEntry.title).where(
        TimelineEntry.customer_id == opportunity.customer_id, TimelineEntry.kind == "opportunity"))
    assert "一百套沙发" in " ".join(titles)


def test_stage_moves_are_recorded_with_dates_and_durations(scope):
    opportunity = deal(customer())
    services.move_stage(opportunity, stage(2).id, owner_id())
    services.move_stage(opportunity, stage(3).id, owner_id())
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    changes = db.session.scalars(sa.select(StageChange).order_by(StageChange.id)).all()
    for days, change in zip((0, 3, 10), changes):
        change.changed_at = start + timedelta(days=days)
    db.session.flush()
    history = stage_history(opportunity.id, now=start + timedelta(days=12))
    assert [(row.stage, row.duration.days) for row in history] == [
        ("Qualify", 3), ("Needs analysis", 7), ("Proposal / quote", 2)]
    assert opportunity.probability == 50


def test_conversion_and_average_stage_duration(scope):
    client = customer()
    a, b = deal(client, "A"), deal(client, "B")
    services.move_stage(a, stage(2).id, owner_id())
    services.move_stage(a, stage("won").id, owner_id())
    services.move_stage(b, stage("lost").id, owner_id())
    stats = {s.stage.name: s for s in stage_stats()}
    assert (stats["Qualify"].entered, stats["Qualify"].moved_on, stats["Qualify"].won) == (2, 1, 1)
    assert stats["Qualify"].conversion == 0.5
    assert stats["Needs analysis"].win_rate == 1.0
    assert stats["Negotiation"].entered == 0 and stats["Negotiation"].conversion is None


def test_moving_a_won_deal_back_needs_a_reason_and_is_audited(scope):
    opportunity = deal(customer())
    services.move_stage(opportunity, stage("won").id, owner_id())
    assert opportunity.closed_on == workspace_today() and opportunity.probability == 100
    with pytest.raises(services.OpportunityError) as caught:
        services.move_stage(opportunity, stage(4).id, owner_id(), reason="  ")
    assert caught.value.field == "reason" and opportunity.stage_id == stage("won").id
    services.move_stage(opportunity, stage(4).id, owner_id(), reason="客户付款失败")
    assert opportunity.closed_on is None and opportunity.probability == 75
    last = db.session.scalars(sa.select(StageChange).order_by(StageChange.id.desc())).first()
    assert last.reason == "客户付款失败"
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "opportunity_reopened")).one()
    assert entry.changes["reason"] == "客户付款失败" and entry.record_id == str(opportunity.id)


def test_a_currency_without_a_rate_is_refused_until_one_is_set(scope):
    with pytest.raises(services.OpportunityError) as caught:
        deal(customer(), currency="USD")
    assert caught.value.field == "currency" and "USD" in str(caught.value.message)
    set_rate("USD", D("7.1"))
    assert deal(customer("B"), currency="USD").currency == "USD"


def test_merging_customers_moves_their_opportunities(scope):
    keep, duplicate = customer("Keep"), customer("Dup")
    opportunity = deal(duplicate)
    merge_customers(keep, duplicate, owner_id())
    db.session.refresh(opportunity)
    assert opportunity.customer_id == keep.id


def _setup_board(app, tenant):
    from tenants.context import tenant_scope

    rep_id = add_user(app, tenant, "sales_rep", "rep@x.example")
    with app.test_request_context(), tenant_scope(tenant):
        client = customer()
        mine = deal(client, "Rep's deal", owner_id=rep_id)
        theirs = deal(client, "Owner's deal")
        won = stage("won").id
        db.session.commit()
        return mine.id, theirs.id, won


def test_the_board_shows_only_visible_deals_and_drag_moves_with_json(app, tenant):
    mine, theirs, won = _setup_board(app, tenant)
    rep = app.test_client()
    assert login(rep, tenant, email="rep@x.example").status_code == 302
    board = rep.get(f"/t/{tenant.slug}/opportunities/").get_data(as_text=True)
    assert "Rep&#39;s deal" in board and "Owner&#39;s deal" not in board
    assert rep.get(f"/t/{tenant.slug}/opportunities/{theirs}").status_code == 404
    json = {"Accept": "application/json"}
    moved = rep.post(f"/t/{tenant.slug}/opportunities/{mine}/move", data={"stage_id": won},
                     headers=json)
    assert moved.status_code == 200 and moved.json == {"ok": True, "probability": 100}
    back = rep.post(f"/t/{tenant.slug}/opportunities/{mine}/move",
                    data={"stage_id": won - 1}, headers=json)
    assert back.status_code == 422 and back.json["field"] == "reason"
    assert rep.post(f"/t/{tenant.slug}/opportunities/{theirs}/move", data={"stage_id": won},
                    headers=json).status_code == 404


def test_opportunity_form_refuses_negative_amounts_and_unknown_customers(app, tenant, owner_client):
    response = owner_client.post(f"/t/{tenant.slug}/opportunities/new", data={
        "name": "X", "customer_code": "NOPE", "amount": "-5", "currency": "CNY",
        "owner": 1, "stage": 1})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "The amount cannot be negative." in text
