""""My day": the home page every user lands on, built from panels."""
import re
import secrets
from datetime import date
from decimal import Decimal as D

import sqlalchemy as sa

from app.extensions import db
from app.opportunities.models import Opportunity
from app.opportunities.services import create_opportunity
from app.org.models import Unit, UnitManager
from app.products.services import save_product
from app.timeline.models import TimelineEntry
from tenants.context import tenant_scope
from tests.conftest import add_user, client_as, login, owner_id
from tests.sales.conftest import customer, stage


def _panel(client, tenant, key):
    """The panel's HTML on the user's "My day" ("" when it is not shown)."""
    response = client.get(f"/t/{tenant.slug}/")
    assert response.status_code == 200
    found = re.search(rf'<section[^>]*data-panel="{re.escape(key)}".*?</section>',
                      response.get_data(as_text=True), re.S)
    return found.group(0) if found else ""


def test_the_workspace_opens_on_my_day(app, tenant, owner_client):
    page = owner_client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "Welcome, Owner" in page and 'data-testid="myday"' in page
    assert ">My day</a>" in page  # the first entry of the navigation


def test_an_empty_workspace_shows_first_steps_that_disappear_as_they_are_done(
        app, tenant, owner_client):
    steps = _panel(owner_client, tenant, "first_steps")
    assert [s for s in ("customers", "users", "products") if f'data-step="{s}"' in steps] == [
        "customers", "users", "products"]
    rep = client_as(app, tenant, "sales_rep")   # a rep may import, not invite or set up products
    rep_steps = _panel(rep, tenant, "first_steps")
    assert 'data-step="customers"' in rep_steps and 'data-step="users"' not in rep_steps
    assert 'data-step="products"' not in rep_steps
    # Adding the rep was inviting a colleague: that step is done for the owner too.
    assert 'data-step="users"' not in _panel(owner_client, tenant, "first_steps")
    with app.test_request_context(), tenant_scope(tenant):
        customer("第一位客户")
        db.session.commit()
    left = _panel(owner_client, tenant, "first_steps")
    assert 'data-step="customers"' not in left and 'data-step="products"' in left
    with app.test_request_context(), tenant_scope(tenant):
        save_product(None, {"code": "P1", "name": "书桌", "tax_rate": D("13"), "cost": None,
                            "list_prices": {}})
        db.session.commit()
    assert _panel(owner_client, tenant, "first_steps") == ""


def _team(app, tenant):
    """East (managed by `manager`) → Shanghai store with `rep`; West with `other`."""
    with app.app_context(), tenant_scope(tenant):
        east = Unit(name="华东", kind="region")
        west = Unit(name="华西", kind="region")
        db.session.add_all([east, west])
        db.session.flush()
        store = Unit(name="上海店", kind="store", parent_id=east.id)
        db.session.add(store)
        db.session.commit()
        units = (east.id, west.id, store.id)
    people = {}
    for name, role, unit_id in (("manager", "sales_manager", units[0]),
                                ("rep", "sales_rep", units[2]), ("other", "sales_rep", units[1])):
        email = f"{name}-{secrets.token_hex(3)}@{tenant.slug}.example"
        user_id = add_user(app, tenant, role, email, unit_id=unit_id, name=name.title())
        client = app.test_client()
        assert login(client, tenant, email).status_code == 302
        people[name] = (user_id, client)
    with app.app_context(), tenant_scope(tenant):
        db.session.add(UnitManager(unit_id=units[0], user_id=people["manager"][0]))
        db.session.commit()
    return people


def _deal(name, owner, days_quiet, activity_days_ago=None):
    deal = create_opportunity({"name": name, "customer_id": customer(name + "公司").id,
                               "amount": D("1000"), "currency": "CNY", "stage_id": stage(1).id,
                               "probability": None, "expected_close": date(2027, 1, 1),
                               "owner_id": owner}, owner)
    db.session.flush()
    quiet_since = sa.func.now() - sa.text(f"interval '{days_quiet} days'")
    db.session.execute(sa.update(Opportunity).where(Opportunity.id == deal.id)
                       .values(updated_at=quiet_since))
    active_days = activity_days_ago if activity_days_ago is not None else days_quiet
    db.session.execute(sa.update(TimelineEntry).where(
        TimelineEntry.ref_type == "opportunity", TimelineEntry.ref_id == deal.id)
        .values(occurred_at=sa.func.now() - sa.text(f"interval '{active_days} days'")))
    return deal


def test_a_manager_sees_the_teams_quiet_deals_and_a_rep_sees_no_one_elses(app, tenant):
    people = _team(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        _deal("沉睡的单", people["rep"][0], days_quiet=30)
        _deal("刚跟进的单", people["rep"][0], days_quiet=30, activity_days_ago=2)
        _deal("新单", people["rep"][0], days_quiet=1)
        _deal("华西的单", people["other"][0], days_quiet=30)
        _deal("经理自己的单", people["manager"][0], days_quiet=30)
        db.session.commit()
    stale = _panel(people["manager"][1], tenant, "deals.team_stale")
    assert "沉睡的单" in stale and "Rep" in stale
    for fresh_or_not_mine in ("刚跟进的单", "新单", "华西的单", "经理自己的单"):
        assert fresh_or_not_mine not in stale
    for rep in ("rep", "other"):
        assert _panel(people[rep][1], tenant, "deals.team_stale") == ""


def test_my_open_deals_by_stage_feed_the_chart(app, tenant, owner_client):
    with app.test_request_context(), tenant_scope(tenant):
        for n in range(3):
            _deal(f"单{n}", owner_id(), days_quiet=0)
        db.session.commit()
    deals = _panel(owner_client, tenant, "deals.mine")
    data = re.search(r'<script type="application/json" id="myday-deals-data">(.*?)</script>', deals)
    assert data and '"deals": 3' in data.group(1)
    page = owner_client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "js/myday-deals.js" in page and "<script>" not in page  # no inline code (CSP)
    rep = client_as(app, tenant, "sales_rep")
    assert _panel(rep, tenant, "deals.mine") == ""  # the owner's deals are not the rep's


def _statements_for(app, client, path):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_my_day_costs_the_same_few_queries_with_one_row_or_many(app, tenant):
    """Each panel is one query, whatever the number of deals, notifications, announcements."""
    from app.notifications import notify

    people = _team(app, tenant)
    manager_id, manager = people["manager"]
    path = f"/t/{tenant.slug}/"

    def add(n):
        with app.test_request_context(), tenant_scope(tenant):
            for i in range(n):
                deal = _deal(f"单{secrets.token_hex(3)}", people["rep"][0], days_quiet=30)
                mine = _deal(f"我的{secrets.token_hex(3)}", manager_id, days_quiet=0)
                notify([manager_id], "assigned", "Deal %(n)s", {"n": i},
                       subject=("opportunity", deal.id))
                notify([manager_id], "assigned", "Customer %(n)s", {"n": i},
                       subject=("customer", mine.customer_id))
            db.session.commit()

    add(1)
    few = _statements_for(app, manager, path)
    add(12)
    assert _statements_for(app, manager, path) == few
