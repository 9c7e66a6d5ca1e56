"""The pipeline stage page: add, rename, probability, order, remove; audited; the board follows."""
import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.forecast.services import forecast
from app.opportunities import services as deals
from app.opportunities.history import stage_history
from app.opportunities.models import Opportunity, StageChange
from app.sales.models import PipelineStage
from tenants.context import tenant_scope
from tests.conftest import client_as
from tests.sales.conftest import customer, owner_id

SEEDED = ["Qualify", "Needs analysis", "Proposal / quote", "Negotiation", "Won", "Lost"]


def _base(tenant) -> str:
    return f"/t/{tenant.slug}/admin/stages"


def _ids(app, tenant) -> dict[str, int]:
    with app.app_context(), tenant_scope(tenant):
        return dict(db.session.execute(sa.select(PipelineStage.name, PipelineStage.id)).all())


def _board_order(client, tenant) -> list[str]:
    page = client.get(f"/t/{tenant.slug}/opportunities/").get_data(as_text=True)
    return re.findall(r'<section class="pipeline-column" data-stage-id="\d+" aria-label="([^"]+)"',
                      page)


def _deal(app, tenant, stage_name, name="一百套沙发", amount="1000", deleted=False) -> int:
    with app.test_request_context(), tenant_scope(tenant):
        stage_id = db.session.scalar(sa.select(PipelineStage.id).where(
            PipelineStage.name == stage_name))
        deal = deals.create_opportunity({
            "name": name, "customer_id": customer(f"客户 {name}").id, "amount": Decimal(amount),
            "currency": "CNY", "stage_id": stage_id, "probability": None,
            "expected_close": date(2026, 12, 15)}, owner_id())
        if deleted:
            deal.deleted_at = sa.func.now()
        db.session.commit()
        return deal.id


def _audit(app, tenant, action) -> list[AuditEntry]:
    with app.app_context(), tenant_scope(tenant):
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.record_type == "pipeline_stages", AuditEntry.action == action)
            .order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return entries


def test_the_page_lists_the_stages_in_order_and_the_board_links_to_it(owner_client, tenant):
    page = owner_client.get(_base(tenant)).get_data(as_text=True)
    positions = [page.index(f"<td>{name}</td>") for name in SEEDED]
    assert positions == sorted(positions)
    assert page.count(">Remove</a>") == 4  # won and lost cannot be removed
    board = owner_client.get(f"/t/{tenant.slug}/opportunities/").get_data(as_text=True)
    assert f'href="{_base(tenant)}"' in board


def test_a_new_stage_comes_before_won_and_lost_and_is_audited(app, owner_client, tenant):
    response = owner_client.post(_base(tenant) + "/new", data={"name": " 样品确认 ",
                                                              "probability": "60"})
    assert response.status_code == 302
    assert _board_order(owner_client, tenant) == [*SEEDED[:4], "样品确认", "Won", "Lost"]
    created = _audit(app, tenant, "create")
    assert created[-1].changes["name"] == [None, "样品确认"]
    assert created[-1].changes["probability"] == [None, 60]
    form = owner_client.get(f"/t/{tenant.slug}/opportunities/new").get_data(as_text=True)
    assert ">样品确认</option>" in form


def test_renaming_and_a_new_probability_show_on_the_board_and_in_the_audit(
        app, owner_client, tenant):
    stage_id = _ids(app, tenant)["Negotiation"]
    deal_id = _deal(app, tenant, "Negotiation")
    response = owner_client.post(f"{_base(tenant)}/{stage_id}",
                                 data={"name": "商务谈判", "probability": "80"})
    assert response.status_code == 302
    assert _board_order(owner_client, tenant) == [*SEEDED[:3], "商务谈判", "Won", "Lost"]
    assert "80% ·" in owner_client.get(f"/t/{tenant.slug}/opportunities/").get_data(as_text=True)
    changed = _audit(app, tenant, "update")[-1]
    assert changed.record_id == str(stage_id)
    assert changed.changes == {"name": ["Negotiation", "商务谈判"], "probability": [75, 80]}
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Opportunity, deal_id).probability == 75  # deals keep theirs


def test_a_new_probability_can_be_applied_to_the_deals_in_the_stage(app, owner_client, tenant):
    stage_id = _ids(app, tenant)["Proposal / quote"]
    deal_id = _deal(app, tenant, "Proposal / quote")
    response = owner_client.post(f"{_base(tenant)}/{stage_id}", data={
        "name": "Proposal / quote", "probability": "40", "apply_to_deals": "y"})
    assert response.status_code == 302
    assert "The probability of 1 deal was changed." in owner_client.get(
        response.location).get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Opportunity, deal_id).probability == 40
        entry = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.record_type == "opportunities", AuditEntry.action == "update")).one()
        assert entry.changes == {"probability": [50, 40]}


def test_bad_input_shows_the_form_again_with_the_error(app, owner_client, tenant):
    stage_id = _ids(app, tenant)["Qualify"]
    cases = [
        ({"name": "", "probability": "10"}, "This field is required."),
        ({"name": "   ", "probability": "10"}, "Give the stage a name."),
        ({"name": "needs ANALYSIS", "probability": "10"}, "Another stage already has this name."),
        ({"name": "Qualify", "probability": "150"}, "Between 0 and 100."),
        ({"name": "Qualify", "probability": "-1"}, "Between 0 and 100."),
        ({"name": "Qualify", "probability": "lots"}, "Not a valid integer value."),
        ({"name": "x" * 81, "probability": "10"}, "Field cannot be longer than 80 characters."),
    ]
    for data, message in cases:
        for path in (f"{_base(tenant)}/{stage_id}", f"{_base(tenant)}/new"):
            response = owner_client.post(path, data=data)
            assert response.status_code == 422, (path, data)
            assert message in response.get_data(as_text=True), (path, data)
    with app.app_context(), tenant_scope(tenant):
        names = db.session.scalars(sa.select(PipelineStage.name).order_by(
            PipelineStage.position)).all()
        assert names == SEEDED
        assert db.session.get(PipelineStage, stage_id).probability == 10


def test_won_and_lost_can_be_renamed_but_keep_their_probability(app, owner_client, tenant):
    ids = _ids(app, tenant)
    form = owner_client.get(f"{_base(tenant)}/{ids['Won']}").get_data(as_text=True)
    assert 'name="probability"' not in form and "always 100%" in form
    response = owner_client.post(f"{_base(tenant)}/{ids['Won']}",
                                 data={"name": "赢单", "probability": "50"})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        won = db.session.get(PipelineStage, ids["Won"])
        assert (won.name, won.probability, won.outcome) == ("赢单", 100, "won")


def test_up_and_down_reorder_the_open_stages_and_the_board_follows(app, owner_client, tenant):
    ids = _ids(app, tenant)
    move = f"{_base(tenant)}/{ids['Negotiation']}/move"
    assert owner_client.post(move, data={"direction": "up"}).status_code == 302
    assert owner_client.post(move, data={"direction": "up"}).status_code == 302
    expected = ["Qualify", "Negotiation", "Needs analysis", "Proposal / quote", "Won", "Lost"]
    assert _board_order(owner_client, tenant) == expected
    owner_client.post(f"{_base(tenant)}/{ids['Qualify']}/move", data={"direction": "down"})
    expected = ["Negotiation", "Qualify", "Needs analysis", "Proposal / quote", "Won", "Lost"]
    assert _board_order(owner_client, tenant) == expected
    with app.app_context(), tenant_scope(tenant):
        positions = db.session.scalars(sa.select(PipelineStage.position).order_by(
            PipelineStage.position)).all()
        assert positions == [1, 2, 3, 4, 5, 6]
    moved = {e.record_id for e in _audit(app, tenant, "update")}
    assert {str(ids["Negotiation"]), str(ids["Qualify"])} <= moved


def test_won_lost_and_the_edges_do_not_move(app, owner_client, tenant):
    ids = _ids(app, tenant)
    for name, direction in (("Won", "up"), ("Lost", "up"), ("Qualify", "up"),
                            ("Proposal / quote", "sideways"), ("Negotiation", "down")):
        response = owner_client.post(f"{_base(tenant)}/{ids[name]}/move",
                                     data={"direction": direction}, follow_redirects=True)
        assert response.status_code == 200
        assert "This stage cannot move that way" in response.get_data(as_text=True)
    assert _board_order(owner_client, tenant) == SEEDED
    assert owner_client.post(f"{_base(tenant)}/987654/move",
                             data={"direction": "up"}).status_code == 404


def test_removing_an_empty_stage_keeps_its_row_for_history(app, owner_client, tenant):
    stage_id = _ids(app, tenant)["Needs analysis"]
    page = owner_client.get(f"{_base(tenant)}/{stage_id}/remove").get_data(as_text=True)
    assert "No opportunities are in this stage." in page
    assert owner_client.post(f"{_base(tenant)}/{stage_id}/remove").status_code == 302
    assert _board_order(owner_client, tenant) == [n for n in SEEDED if n != "Needs analysis"]
    assert "Needs analysis" not in owner_client.get(_base(tenant)).get_data(as_text=True)
    assert owner_client.get(f"{_base(tenant)}/{stage_id}").status_code == 404
    with app.app_context(), tenant_scope(tenant):
        stage = db.session.get(PipelineStage, stage_id)
        assert stage.removed_at is not None and stage.name == "Needs analysis"
    removal = _audit(app, tenant, "update")[0]
    assert removal.record_id == str(stage_id) and removal.changes["removed_at"][0] is None
    again = owner_client.post(_base(tenant) + "/new", data={"name": "Needs analysis",
                                                           "probability": "20"})
    assert again.status_code == 302  # the name is free again


def test_removing_a_stage_with_deals_asks_where_they_go(app, owner_client, tenant):
    ids = _ids(app, tenant)
    first = _deal(app, tenant, "Needs analysis", "A", amount="1000")
    _deal(app, tenant, "Needs analysis", "B", amount="3000")
    gone = _deal(app, tenant, "Needs analysis", "C", deleted=True)
    remove = f"{_base(tenant)}/{ids['Needs analysis']}/remove"
    page = owner_client.get(remove).get_data(as_text=True)
    assert "2 opportunities are in this stage." in page and 'name="move_to"' in page
    refused = owner_client.post(remove, data={"move_to": ""})
    assert refused.status_code == 422
    assert "2 opportunities are in this stage. Choose the stage they move to." in (
        refused.get_data(as_text=True))
    itself = owner_client.post(remove, data={"move_to": ids["Needs analysis"]})
    assert itself.status_code == 422
    with app.app_context():
        weighted_before = _weighted(tenant)
    done = owner_client.post(remove, data={"move_to": ids["Negotiation"]})
    assert done.status_code == 302
    assert "Stage Needs analysis removed; 2 deals moved." in owner_client.get(
        done.location).get_data(as_text=True)
    with app.test_request_context(), tenant_scope(tenant):
        stages = dict(db.session.execute(sa.select(Opportunity.name, Opportunity.stage_id)).all())
        assert stages == {"A": ids["Negotiation"], "B": ids["Negotiation"],
                          "C": ids["Negotiation"]}
        history = stage_history(first)
        assert [row.stage for row in history] == ["Needs analysis", "Negotiation"]
        assert history[-1].change.reason == "Stage “Needs analysis” was removed."
        assert db.session.get(Opportunity, gone).deleted_at is not None
        # The forecast follows: the deals now carry Negotiation's 75% instead of 25%.
        assert (weighted_before, _weighted(tenant)) == (Decimal("1000.00"), Decimal("3000.00"))
    board = owner_client.get(f"/t/{tenant.slug}/opportunities/").get_data(as_text=True)
    assert re.search(r'aria-label="Negotiation">.*?data-count>2<', board, re.S)


def _weighted(tenant) -> Decimal:
    with tenant_scope(tenant):
        owner = db.session.get(User, owner_id())
        return forecast(owner, date(2026, 1, 1), date(2026, 12, 31)).totals.figures["weighted"]


def test_won_lost_and_the_last_open_stage_cannot_be_removed(app, owner_client, tenant):
    ids = _ids(app, tenant)
    for name in ("Won", "Lost"):
        refused = owner_client.post(f"{_base(tenant)}/{ids[name]}/remove")
        assert refused.status_code == 422
        assert "The won and lost stages cannot be removed." in refused.get_data(as_text=True)
    for name in SEEDED[:3]:
        assert owner_client.post(f"{_base(tenant)}/{ids[name]}/remove").status_code == 302
    last = owner_client.post(f"{_base(tenant)}/{ids['Negotiation']}/remove")
    assert last.status_code == 422
    assert "Keep at least one open stage" in last.get_data(as_text=True)
    assert _board_order(owner_client, tenant) == ["Negotiation", "Won", "Lost"]


def test_a_deal_cannot_be_moved_into_a_removed_stage(app, owner_client, tenant):
    ids = _ids(app, tenant)
    deal_id = _deal(app, tenant, "Qualify")
    owner_client.post(f"{_base(tenant)}/{ids['Proposal / quote']}/remove")
    moved = owner_client.post(f"/t/{tenant.slug}/opportunities/{deal_id}/move",
                              data={"stage_id": ids["Proposal / quote"]},
                              headers={"Accept": "application/json"})
    assert moved.status_code == 422 and moved.json["field"] == "stage_id"
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StageChange)) == 1


def test_only_admins_edit_stages(app, tenant):
    manager = client_as(app, tenant, "sales_manager")
    assert manager.get(_base(tenant)).status_code == 403
    assert manager.post(_base(tenant) + "/new", data={"name": "X", "probability": "5"}
                        ).status_code == 403
    assert "Edit the stages" not in manager.get(
        f"/t/{tenant.slug}/opportunities/").get_data(as_text=True)
