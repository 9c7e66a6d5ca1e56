"""Task pages: create and edit with validation, record links checked, lists, export."""
import csv
import io
from datetime import date, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.customers.services import create_customer
from app.extensions import db
from app.tasks.models import Task
from tenants.context import tenant_scope
from tests.conftest import add_user, login
from tests.tasks.helpers import make_task


def _owner(app, tenant) -> int:
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(User.id).order_by(User.id)).first()


def _tasks(app, tenant) -> list[Task]:
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.scalars(sa.select(Task).order_by(Task.id)).all()
        db.session.expunge_all()
        return rows


def _form(owner_id, **changes) -> dict:
    return {"title": "Call Mr Wang", "priority": "normal", "owner": owner_id,
            "repeat": "", "ends": "never", "interval": "1", **changes}


def test_a_task_is_created_with_its_due_time_read_in_the_users_zone(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        db.session.get(User, owner_id).time_zone = "Asia/Shanghai"
        db.session.commit()
    response = owner_client.post(f"/t/{tenant.slug}/tasks/new", data=_form(
        owner_id, due_date="2099-03-01", due_time="09:30", priority="high", notes="Sofa order"))
    assert response.status_code == 302
    [task] = _tasks(app, tenant)
    assert (task.title, task.priority, task.notes) == ("Call Mr Wang", "high", "Sofa order")
    assert task.due_date == date(2099, 3, 1)
    assert task.due_at.isoformat() == "2099-03-01T01:30:00+00:00"  # 09:30 in Shanghai
    page = owner_client.get(response.location).get_data(as_text=True)
    assert "Call Mr Wang" in page


def test_bad_input_comes_back_with_the_error_in_place(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    url = f"/t/{tenant.slug}/tasks/new"
    cases = [
        (_form(owner_id, title="   "), "Give the task a title."),
        (_form(owner_id, title="x" * 300), "A title has at most 200 characters."),
        (_form(owner_id, due_date="2099-02-30"), "Not a valid date value."),
        (_form(owner_id, owner="999999"), "Choose an active user."),
        (_form(owner_id, due_time="10:00"), "A due time needs a due date."),
        (_form(owner_id, repeat="weekly"), "A repeating task needs a due date."),
        (_form(owner_id, due_date="2099-01-10", repeat="weekly", ends="until",
               until="2099-01-01"), "The last date is before the due date."),
        (_form(owner_id, remind_at="2001-01-01T09:00"), "in the past and would never ring"),
        (_form(owner_id, priority="urgent"), "Not a valid choice"),
    ]
    for data, message in cases:
        response = owner_client.post(url, data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), message
    assert _tasks(app, tenant) == []


def test_another_tenants_user_cannot_be_assigned(app, new_tenant):
    ours, theirs = new_tenant(), new_tenant()
    stranger = add_user(app, theirs, "sales_rep")  # an id that exists only over there
    client = app.test_client()
    login(client, ours)
    with app.app_context(), tenant_scope(ours):
        assert db.session.get(User, stranger) is None
    response = client.post(f"/t/{ours.slug}/tasks/new", data=_form(stranger))
    assert response.status_code == 422
    assert "Choose an active user." in response.get_data(as_text=True)


def test_a_past_due_date_is_saved_with_a_warning(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    response = owner_client.post(f"/t/{tenant.slug}/tasks/new", data=_form(
        owner_id, due_date="2020-01-01"), follow_redirects=True)
    assert "Its due date has already passed" in response.get_data(as_text=True)
    assert [t.due_date for t in _tasks(app, tenant)] == [date(2020, 1, 1)]


def test_add_task_from_a_customer_page_links_it_and_shows_it_there(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        customer = create_customer({"name": "Wang Furniture"}, owner_id)
        db.session.commit()
        customer_id = customer.id
    page = owner_client.get(f"/t/{tenant.slug}/customers/{customer_id}").get_data(as_text=True)
    assert "Add task" in page
    new = f"/t/{tenant.slug}/tasks/new?related_type=customer&related_id={customer_id}"
    assert "Wang Furniture" in owner_client.get(new).get_data(as_text=True)
    response = owner_client.post(new, data=_form(
        owner_id, title="Send the catalogue", related_type="customer",
        related_id=str(customer_id), next=f"/t/{tenant.slug}/customers/{customer_id}"))
    assert response.location.endswith(f"/customers/{customer_id}")
    [task] = _tasks(app, tenant)
    assert (task.related_type, task.related_id, task.customer_id) == (
        "customer", customer_id, customer_id)
    panel = owner_client.get(f"/t/{tenant.slug}/customers/{customer_id}").get_data(as_text=True)
    assert "Send the catalogue" in panel


def test_an_unknown_record_type_is_a_404(app, tenant, owner_client):
    response = owner_client.get(f"/t/{tenant.slug}/tasks/new?related_type=planet&related_id=1")
    assert response.status_code == 404


def test_a_rep_sees_his_own_tasks_and_a_manager_his_team(app, tenant):
    from app.org.services import create_unit

    with app.app_context(), tenant_scope(tenant):
        store = create_unit("Store 1", "store", None)
        db.session.commit()
        store_id = store.id
    rep_mail, other_mail, boss_mail = (f"{n}@{tenant.slug}.example" for n in ("rep", "oth", "boss"))
    rep = add_user(app, tenant, "sales_rep", rep_mail, unit_id=store_id, name="Rep")
    other = add_user(app, tenant, "sales_rep", other_mail, unit_id=store_id, name="Other")
    add_user(app, tenant, "sales_manager", boss_mail, unit_id=store_id, name="Boss")
    with app.test_request_context(), tenant_scope(tenant):
        make_task(rep, "Rep call", due_date=date(2020, 5, 1))
        make_task(other, "Other visit", due_date=date(2099, 5, 1))
        db.session.commit()
        others_id = db.session.scalar(sa.select(Task.id).where(Task.owner_id == other))
    rep_client, boss_client = app.test_client(), app.test_client()
    login(rep_client, tenant, rep_mail)
    login(boss_client, tenant, boss_mail)
    base = f"/t/{tenant.slug}/tasks/"
    assert rep_client.get(base).location.endswith("/tasks/?scope=mine&status=open")
    mine = rep_client.get(base + "?scope=all").get_data(as_text=True)
    assert "Rep call" in mine and "Other visit" not in mine
    assert rep_client.get(f"{base}{others_id}").status_code == 404
    assert rep_client.post(f"{base}{others_id}/done").status_code == 404
    team = boss_client.get(base + "?scope=team").get_data(as_text=True)
    assert "Rep call" in team and "Other visit" in team
    overdue = boss_client.get(base + "?scope=overdue").get_data(as_text=True)
    assert "Rep call" in overdue and "Other visit" not in overdue


def test_edit_done_undone_and_delete_through_the_pages(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        task_id = make_task(owner_id, "Draft the offer", due_date=date(2099, 1, 1)).id
        db.session.commit()
    base = f"/t/{tenant.slug}/tasks/{task_id}"
    edit = owner_client.get(base + "/edit").get_data(as_text=True)
    assert "Draft the offer" in edit
    response = owner_client.post(base + "/edit", data=_form(owner_id, title="Send the offer",
                                                            due_date="2099-01-02"))
    assert response.status_code == 302
    assert owner_client.post(base + "/done").status_code == 302
    assert _tasks(app, tenant)[0].done_at is not None
    assert owner_client.post(base + "/undone").status_code == 302
    [task] = _tasks(app, tenant)
    assert (task.title, task.due_date, task.done_at) == ("Send the offer", date(2099, 1, 2), None)
    assert owner_client.post(base + "/delete").status_code == 302
    assert _tasks(app, tenant)[0].deleted_at is not None
    assert owner_client.get(base).status_code == 404


def test_the_overdue_list_exports_what_it_shows(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        make_task(owner_id, "=Late one", due_date=date.today() - timedelta(days=3))
        make_task(owner_id, "Future one", due_date=date.today() + timedelta(days=30))
        db.session.commit()
    response = owner_client.get(f"/t/{tenant.slug}/tasks/export?scope=overdue&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Title", "Due"]
    assert [row[0] for row in rows[1:]] == ["'=Late one"]  # a formula is neutralized


def test_a_saved_view_of_the_task_list_reopens_it(app, tenant, owner_client):
    response = owner_client.post(f"/t/{tenant.slug}/lists/tasks/views",
                                 data={"name": "High", "query": "scope=all&priority=high"})
    assert response.location.endswith("/tasks/?scope=all&priority=high")
    page = owner_client.get(f"/t/{tenant.slug}/tasks/?scope=all&priority=high")
    assert "High" in page.get_data(as_text=True)


def test_contact_and_deal_pages_list_their_tasks(app, tenant, owner_client):
    from tests.access.hidden import _owner_records

    owner_id = _owner(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        ids = _owner_records(owner_id)
        db.session.commit()
    contact_page = f"/t/{tenant.slug}/contacts/{ids['contact_id']}"
    response = owner_client.post(
        f"/t/{tenant.slug}/tasks/new?related_type=contact&related_id={ids['contact_id']}",
        data=_form(owner_id, title="Ask about the fabric", next=contact_page))
    assert response.location.endswith(contact_page)
    [task] = _tasks(app, tenant)[-1:]
    assert task.customer_id == ids["customer_id"]  # the contact's company
    assert "Ask about the fabric" in owner_client.get(contact_page).get_data(as_text=True)
    customer_page = owner_client.get(f"/t/{tenant.slug}/customers/{ids['customer_id']}")
    assert "Ask about the fabric" in customer_page.get_data(as_text=True)  # the 360 rolls up
    for page in (f"/opportunities/{ids['opportunity_id']}", f"/quotes/{ids['quote_id']}"):
        html = owner_client.get(f"/t/{tenant.slug}{page}").get_data(as_text=True)
        assert 'data-testid="tasks-panel"' in html and "Add task" in html


def test_a_task_has_its_own_activity_where_colleagues_comment(app, tenant, owner_client):
    owner_id = _owner(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        task_id = make_task(owner_id, "Prepare the demo", due_date=date(2099, 1, 1)).id
        db.session.commit()
    comments = f"/t/{tenant.slug}/records/task/{task_id}/comments"
    assert owner_client.post(comments, data={"body": "Slides are in the shared folder"}).status_code == 302
    page = owner_client.get(f"/t/{tenant.slug}/tasks/{task_id}").get_data(as_text=True)
    assert "Slides are in the shared folder" in page
    rep = app.test_client()
    login(rep, tenant, email=_rep_email(app, tenant))
    assert rep.post(comments, data={"body": "peek"}).status_code == 404  # not his task


def _rep_email(app, tenant) -> str:
    email = f"rep-comments@{tenant.slug}.example"
    add_user(app, tenant, "sales_rep", email)
    return email
