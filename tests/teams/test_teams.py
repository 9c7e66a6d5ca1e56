"""Customer and deal teams, and sharing with a unit: who then sees and changes what."""
import csv
import io

import pytest
import sqlalchemy as sa

from app.access.teams import RecordShare, TeamMember
from app.extensions import db
from app.records import find_record
from tenants.context import tenant_scope
from tests.conftest import add_user, make_tenant
from tests.teams.world import make_world, person, set_owner_unit


@pytest.fixture
def world(app, tenant):
    return make_world(app, tenant)


@pytest.fixture
def boss(app, world):
    """The tenant's owner, logged in (owns the customer and the deal)."""
    from tests.conftest import login

    client = app.test_client()
    assert login(client, world.tenant).status_code == 302
    return client


def _html(response) -> str:
    return response.get_data(as_text=True)


def _team_rows(app, world, model=TeamMember):
    with app.app_context(), tenant_scope(world.tenant):
        return db.session.execute(sa.select(model.record_type, model.record_id)).all()


def test_a_rep_added_to_the_team_sees_the_customer_everywhere_until_removed(app, world, boss):
    rep, rep_id = person(app, world, "sales_rep")
    page, listing = world.path(f"/customers/{world.customer_id}"), world.path("/customers/")
    search = world.path("/search/?q=Teamed")
    assert rep.get(page).status_code == 404
    assert "Teamed Trading" not in _html(rep.get(listing))

    added = boss.post(world.path(f"/customers/{world.customer_id}/team/add"),
                      data={"user_id": rep_id, "role": "support"})
    assert added.status_code == 302
    shown = _html(boss.get(page))
    assert "Sales rep" in shown and "Support" in shown  # the member and their role in the panel
    assert rep.get(page).status_code == 200
    assert "Teamed Trading" in _html(rep.get(listing))
    assert "Teamed Trading" in _html(rep.get(search))
    # The account team reaches the account: its contacts and deals.
    assert rep.get(world.path(f"/contacts/{world.contact_id}")).status_code == 200
    assert rep.get(world.path(f"/opportunities/{world.deal_id}")).status_code == 200
    assert "Teamed Buyer" in _html(rep.get(world.path("/contacts/")))
    with app.test_request_context(), tenant_scope(world.tenant):
        from app.auth.models import User
        assert find_record("customer", world.customer_id, db.session.get(User, rep_id))

    removed = boss.post(world.path(f"/customers/{world.customer_id}/team/remove"),
                        data={"user_id": rep_id})
    assert removed.status_code == 302
    assert rep.get(page).status_code == 404
    assert rep.get(world.path(f"/contacts/{world.contact_id}")).status_code == 404
    assert "Teamed Trading" not in _html(rep.get(listing))
    assert "Teamed Trading" not in _html(rep.get(search))
    with app.test_request_context(), tenant_scope(world.tenant):
        from app.auth.models import User
        assert find_record("customer", world.customer_id, db.session.get(User, rep_id)) is None


def test_a_team_member_finds_the_customer_in_the_export(app, world, boss):
    """A sales manager without a unit sees only their own customers, and those of their teams."""
    manager, manager_id = person(app, world, "sales_manager")
    export = world.path("/customers/export?format=csv")

    def exported_names():
        text = manager.get(export).get_data().decode("utf-8-sig")
        return {row[1] for row in csv.reader(io.StringIO(text))}

    assert "Teamed Trading" not in exported_names()
    boss.post(world.path(f"/customers/{world.customer_id}/team/add"),
              data={"user_id": manager_id, "role": "executive_sponsor"})
    assert "Teamed Trading" in exported_names()


def test_a_share_with_a_unit_reaches_its_members_and_the_units_below_only(app, world, boss):
    in_east, _ = person(app, world, "sales_rep", unit="East")
    in_store, _ = person(app, world, "sales_rep", unit="Shanghai")
    in_west, _ = person(app, world, "sales_rep", unit="West")
    manager_above, _ = person(app, world, "sales_manager", unit="HQ")  # unit_tree visibility
    page = world.path(f"/customers/{world.customer_id}")

    shared = boss.post(world.path(f"/customers/{world.customer_id}/team/share"),
                       data={"unit_id": world.units["East"], "access": "read"})
    assert shared.status_code == 302
    assert "East" in _html(boss.get(page))
    assert in_east.get(page).status_code == 200
    assert in_store.get(page).status_code == 200
    assert "Teamed Trading" in _html(in_store.get(world.path("/customers/")))
    assert in_west.get(page).status_code == 404
    assert "Teamed Trading" not in _html(in_west.get(world.path("/search/?q=Teamed")))
    assert manager_above.get(page).status_code == 200  # East is in the manager's subtree

    unshared = boss.post(world.path(f"/customers/{world.customer_id}/team/unshare"),
                         data={"unit_id": world.units["East"]})
    assert unshared.status_code == 302
    assert in_east.get(page).status_code == 404
    assert in_store.get(page).status_code == 404


def test_a_read_share_shows_the_customer_and_an_edit_share_opens_it_to_changes(app, world, boss):
    rep, _ = person(app, world, "sales_rep", unit="East")
    edit = world.path(f"/customers/{world.customer_id}/edit")
    boss.post(world.path(f"/customers/{world.customer_id}/team/share"),
              data={"unit_id": world.units["East"], "access": "read"})
    assert rep.get(edit).status_code == 403
    assert rep.post(edit, data={"name": "Renamed", "kind": "company", "type": "customer",
                                "currency": "CNY", "tier": ""}).status_code == 403
    assert rep.post(world.path(f"/contacts/{world.contact_id}/delete")).status_code == 403
    assert 'href="' + edit not in _html(rep.get(world.path(f"/customers/{world.customer_id}")))

    boss.post(world.path(f"/customers/{world.customer_id}/team/share"),
              data={"unit_id": world.units["East"], "access": "edit"})
    saved = rep.post(edit, data={"code": "TEAM-1", "name": "Renamed Trading", "kind": "company",
                                 "type": "customer", "currency": "CNY", "tier": ""})
    assert saved.status_code == 302
    assert "Renamed Trading" in _html(rep.get(world.path(f"/customers/{world.customer_id}")))


def test_a_team_member_may_edit_the_customer(app, world, boss):
    rep, rep_id = person(app, world, "sales_rep")
    boss.post(world.path(f"/customers/{world.customer_id}/team/add"),
              data={"user_id": rep_id, "role": "sales"})
    saved = rep.post(world.path(f"/customers/{world.customer_id}/edit"), data={
        "code": "TEAM-1", "name": "Team Edited", "kind": "company", "type": "customer",
        "currency": "CNY", "tier": ""})
    assert saved.status_code == 302


def test_only_the_owner_a_manager_above_or_an_admin_changes_the_team(app, world, boss):
    set_owner_unit(app, world, "Shanghai")
    rep, rep_id = person(app, world, "sales_rep", unit="Shanghai")
    add = world.path(f"/customers/{world.customer_id}/team/add")
    # A rep who cannot see the customer gets the 404 of a missing one.
    assert rep.post(add, data={"user_id": rep_id, "role": "sales"}).status_code == 404
    # One who sees it (a member, or through a share) still may not change the team.
    boss.post(world.path(f"/customers/{world.customer_id}/team/share"),
              data={"unit_id": world.units["Shanghai"], "access": "edit"})
    assert rep.post(add, data={"user_id": rep_id, "role": "sales"}).status_code == 403
    assert rep.post(world.path(f"/customers/{world.customer_id}/team/unshare"),
                    data={"unit_id": world.units["Shanghai"]}).status_code == 403
    assert "Add to the team" not in _html(rep.get(world.path(f"/customers/{world.customer_id}")))
    assert _team_rows(app, world) == []

    manager, _ = person(app, world, "sales_manager", unit="East", manages="East")
    assert manager.post(add, data={"user_id": rep_id, "role": "technical"}).status_code == 302
    elsewhere, _ = person(app, world, "sales_manager", unit="West", manages="West")
    assert elsewhere.post(world.path(f"/customers/{world.customer_id}/team/remove"),
                          data={"user_id": rep_id}).status_code == 404  # cannot even see it
    assert _team_rows(app, world) == [("customer", world.customer_id)]


def test_users_and_units_of_another_tenant_and_bad_choices_are_refused(app, world, boss):
    other = make_tenant(app, prefix="o")
    stranger_ids = [add_user(app, other, "sales_rep") for _ in range(6)]
    with app.app_context(), tenant_scope(world.tenant):
        from app.auth.models import User
        from app.org.models import Unit
        assert db.session.get(User, stranger_ids[-1]) is None
        assert db.session.get(Unit, 9999) is None
    base = world.path(f"/customers/{world.customer_id}/team")
    refused = boss.post(f"{base}/add", data={"user_id": stranger_ids[-1], "role": "sales"})
    assert refused.status_code == 422
    assert "Choose an active user of this workspace." in _html(refused)
    assert boss.post(f"{base}/share", data={"unit_id": 9999, "access": "read"}).status_code == 422
    rep, rep_id = person(app, world, "sales_rep")
    bad_role = boss.post(f"{base}/add", data={"user_id": rep_id, "role": "boss"})
    assert bad_role.status_code == 422 and "Choose one of the team roles." in _html(bad_role)
    assert boss.post(f"{base}/add", data={"user_id": "x", "role": "sales"}).status_code == 422
    assert boss.post(f"{base}/add", data={"user_id": world.owner_id, "role": "sales"}
                     ).status_code == 422
    assert boss.post(f"{base}/share", data={"unit_id": world.units["East"], "access": "all"}
                     ).status_code == 422
    assert _team_rows(app, world) == [] and _team_rows(app, world, RecordShare) == []


def test_adding_twice_keeps_one_membership_with_the_latest_role(app, world, boss):
    rep, rep_id = person(app, world, "sales_rep")
    add = world.path(f"/customers/{world.customer_id}/team/add")
    boss.post(add, data={"user_id": rep_id, "role": "sales"})
    boss.post(add, data={"user_id": rep_id, "role": "technical"})
    with app.app_context(), tenant_scope(world.tenant):
        assert db.session.scalars(sa.select(TeamMember.role)).all() == ["technical"]


def test_a_deal_team_member_sees_the_deal_and_its_board_card_but_not_the_customer(
        app, world, boss):
    rep, rep_id = person(app, world, "sales_rep")
    deal = world.path(f"/opportunities/{world.deal_id}")
    assert boss.post(f"{deal}/team/add", data={"user_id": rep_id, "role": "technical"}
                     ).status_code == 302
    assert rep.get(deal).status_code == 200
    assert "Teamed deal" in _html(rep.get(world.path("/opportunities/")))
    assert rep.get(world.path(f"/customers/{world.customer_id}")).status_code == 404
    assert boss.post(f"{deal}/team/share", data={"unit_id": world.units["West"], "access": "edit"}
                     ).status_code == 302
    in_west, _ = person(app, world, "sales_rep", unit="West")
    assert in_west.get(deal).status_code == 200
    assert boss.post(f"{deal}/team/unshare", data={"unit_id": world.units["West"]}
                     ).status_code == 302
    assert in_west.get(deal).status_code == 404
    assert boss.post(f"{deal}/team/remove", data={"user_id": rep_id}).status_code == 302
    assert rep.get(deal).status_code == 404


def test_a_merge_hands_the_duplicates_team_to_the_customer_kept(app, world):
    from app.auth.models import User
    from app.customers.merging import merge_customers
    from app.customers.models import Customer
    from app.customers.services import create_customer
    from app.teams import services

    rep_id = add_user(app, world.tenant, "sales_rep")
    with app.test_request_context(), tenant_scope(world.tenant):
        keep = db.session.get(Customer, world.customer_id)
        duplicate = create_customer({"name": "Teamed Trading Dup", "code": "TEAM-2"},
                                    world.owner_id)
        services.add_member("customer", duplicate, rep_id, "sales", world.owner_id)
        services.add_member("customer", keep, rep_id, "support", world.owner_id)
        services.share("customer", duplicate, world.units["West"], "read", world.owner_id)
        merge_customers(keep, duplicate, world.owner_id)
        rows = db.session.execute(sa.select(TeamMember.record_id, TeamMember.role)).all()
        assert rows == [(keep.id, "support")]
        assert db.session.scalars(sa.select(RecordShare.record_id)).all() == [keep.id]
        assert find_record("customer", keep.id, db.session.get(User, rep_id)) is not None
        db.session.rollback()
