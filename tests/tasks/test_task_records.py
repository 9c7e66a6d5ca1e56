"""Tasks among the other records: a leaving user's tasks, customer merges, search, My day."""
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine
from flask import g, render_template

from app.auth.models import User
from app.customers.merging import merge_customers
from app.customers.services import create_customer
from app.extensions import db
from app.myday import panels
from app.org.models import UnitManager
from app.org.services import create_unit
from app.records import find_record, record_title
from app.tasks.models import Task
from app.users.services import reassign
from tenants.context import tenant_scope
from tests.conftest import add_user, login, owner_id
from tests.tasks.helpers import make_task


def test_a_leaving_users_tasks_go_to_the_colleague_taking_over(app, tenant):
    leaving = add_user(app, tenant, "sales_rep", name="Leaving")
    staying = add_user(app, tenant, "sales_rep", name="Staying")
    with app.test_request_context(), tenant_scope(tenant):
        make_task(leaving, "Visit the factory")
        make_task(leaving, "Quote the sofas")
        moved = reassign(db.session.get(User, leaving), db.session.get(User, staying))
        assert moved["tasks"] == 2
        assert db.session.scalars(sa.select(Task.owner_id)).all() == [staying, staying]


def test_merging_customers_moves_their_tasks(scope):
    me = owner_id()
    keep = create_customer({"name": "Keep Ltd"}, me)
    duplicate = create_customer({"name": "Keep Limited"}, me)
    task = make_task(me, "Confirm the address", related=("customer", duplicate))
    merge_customers(keep, duplicate, me)
    db.session.refresh(task)
    assert task.customer_id == keep.id


def test_the_task_record_type_hides_what_the_user_may_not_see(app, tenant):
    rep = add_user(app, tenant, "sales_rep")
    with app.test_request_context(), tenant_scope(tenant):
        task = make_task(owner_id(), "Owner's secret task")
        rep_user = db.session.get(User, rep)
        assert find_record("task", task.id, rep_user) is None
        mine = make_task(rep, "Rep task")
        assert record_title("task", find_record("task", mine.id, rep_user)) == "Rep task"
        db.session.commit()


def test_tasks_are_found_by_title_in_the_search_box(app, tenant, owner_client):
    with app.test_request_context(), tenant_scope(tenant):
        make_task(owner_id(), "Deliver 沙发 samples")
        db.session.commit()
    page = owner_client.get(f"/t/{tenant.slug}/search/?q=沙发").get_data(as_text=True)
    assert "Deliver 沙发 samples" in page


def _render(user, key):
    [spec] = [p for p in panels() if p.key == key]
    data = spec.build(user)
    return None if not data else render_template(spec.template, panel=data)


def test_my_day_shows_today_overdue_and_a_managers_team(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        store = create_unit("Store 9", "store", None)
        db.session.commit()
        store_id = store.id
    rep = add_user(app, tenant, "sales_rep", unit_id=store_id, name="Rep Li")
    boss = add_user(app, tenant, "sales_manager", unit_id=store_id, name="Boss Wu")
    today = date(2026, 6, 10)  # the same day in UTC, the tenant's zone and the users'
    with time_machine.travel(datetime(2026, 6, 10, 4, tzinfo=timezone.utc), tick=False), \
            app.test_request_context(), tenant_scope(tenant):
        db.session.add(UnitManager(unit_id=store_id, user_id=boss))
        make_task(rep, "Call today", due_date=today)
        make_task(rep, "Late quote", due_date=today - timedelta(days=2))
        make_task(rep, "Next week", due_date=today + timedelta(days=7))
        db.session.commit()
        rep_user, boss_user = db.session.get(User, rep), db.session.get(User, boss)
        g._login_user = rep_user  # what Flask-Login's current_user reads
        today_html = _render(rep_user, "tasks.today")
        assert "Call today" in today_html and "Next week" not in today_html
        overdue_html = _render(rep_user, "tasks.overdue")
        assert "Late quote" in overdue_html and "Call today" not in overdue_html
        assert _render(rep_user, "tasks.team_overdue") is None  # a rep manages nobody
        g._login_user = boss_user
        team_html = _render(boss_user, "tasks.team_overdue")
        assert "Late quote" in team_html and "Rep Li" in team_html
        assert "Nothing due today." in _render(boss_user, "tasks.today")
        assert _render(boss_user, "tasks.overdue") is None
