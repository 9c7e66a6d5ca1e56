"""Competitors: profiles, per-deal SWOT kept searchable, and the win/loss report."""
from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.access.visibility import visible_to
from app.competitors import services
from app.competitors.models import Competitor, OpportunityCompetitor
from app.extensions import db
from app.opportunities import services as opportunities
from app.opportunities.models import Opportunity
from app.search.builder import matching
from tests.sales.conftest import customer, owner_id, stage


def deal(name, amount="1000"):
    return opportunities.create_opportunity({
        "name": name, "customer_id": customer(f"客户{name}").id, "amount": D(amount),
        "currency": "CNY", "stage_id": stage(1).id, "probability": None,
        "expected_close": date(2026, 12, 1)}, owner_id())


def test_swot_per_deal_and_win_loss_per_competitor(scope):
    rival = services.save_competitor(None, {"name": "宜家家居", "strengths": "价格低",
                                            "price_position": "lower"})
    other = services.save_competitor(None, {"name": "Natuzzi"})
    won, lost, open_deal = deal("A", "3000"), deal("B", "1000"), deal("C")
    for opportunity in (won, lost, open_deal):
        services.save_swot(opportunity.id, rival.id, {"strategy": "强调售后服务和定制"})
    opportunities.move_stage(won, stage("won").id, owner_id())
    opportunities.move_stage(lost, stage("lost").id, owner_id(), reason="价格")
    report = {r.competitor.name: r for r in services.win_loss(
        visible_to(db.session.get(User, owner_id()), Opportunity))}
    ikea = report["宜家家居"]
    assert (ikea.won, ikea.lost, ikea.open, ikea.win_rate) == (1, 1, 1, 0.5)
    assert ikea.won_amounts == {"CNY": D("3000.00")} and ikea.lost_amounts == {"CNY": D("1000.00")}
    assert (report["Natuzzi"].won, report["Natuzzi"].win_rate) == (0, None)
    where, _rank = matching(OpportunityCompetitor, "售后服务")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OpportunityCompetitor)
                             .where(where)) == 3
    found, _rank = matching(Competitor, "價格")  # what the list page's search box applies
    assert db.session.scalars(sa.select(Competitor.name).where(found)).all() == ["宜家家居"]
    with pytest.raises(services.CompetitorError):
        services.save_competitor(None, {"name": "natuzzi"})
    assert other.id


def test_the_swot_form_and_the_report_page(app, tenant, owner_client):
    from tenants.context import tenant_scope

    with app.test_request_context(), tenant_scope(tenant):
        rival = services.save_competitor(None, {"name": "宜家家居"})
        opportunity = deal("A")
        db.session.commit()
        ids = rival.id, opportunity.id
    saved = owner_client.post(f"/t/{tenant.slug}/competitors/deal/{ids[1]}", data={
        "competitor": ids[0], "strengths": "交期快", "threats": "对方降价"})
    assert saved.status_code == 302
    page = owner_client.get(saved.location).get_data(as_text=True)
    assert "交期快" in page and "对方降价" in page
    report = owner_client.get(f"/t/{tenant.slug}/competitors/").get_data(as_text=True)
    assert "宜家家居" in report
