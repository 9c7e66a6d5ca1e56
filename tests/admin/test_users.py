"""Managing users: role and unit, deactivation, password reset, reassigning records."""
import sqlalchemy as sa

from app.access.models import Role
from app.auth.models import User
from app.extensions import db
from app.org.models import Unit, UnitManager
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, add_user, client_as, login
from tests.mailbox import latest_mail, link_path


def _html(response):
    return response.get_data(as_text=True)


def _ids(app, tenant, model, column, value):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(model.id).where(column == value)).one()


def _owner_id(app, tenant):
    return _ids(app, tenant, User, User.email, f"owner@{tenant.slug}.example")


def _user(app, tenant, user_id):
    with app.app_context(), tenant_scope(tenant):
        user = db.session.get(User, user_id)
        return user.active, user.role.key, user.unit_id


def test_deactivating_ends_sessions_keeps_the_account(app, tenant, owner_client):
    email = f"leaver@{tenant.slug}.example"
    leaver_id = add_user(app, tenant, "sales_rep", email)
    leaver = app.test_client()
    login(leaver, tenant, email)
    assert leaver.get(f"/t/{tenant.slug}/").status_code == 200
    response = owner_client.post(f"/t/{tenant.slug}/admin/users/{leaver_id}/deactivate",
                                 follow_redirects=True)
    assert "The user is deactivated and logged out everywhere." in _html(response)
    assert leaver.get(f"/t/{tenant.slug}/").status_code == 302
    assert login(app.test_client(), tenant, email).status_code == 422
    assert _user(app, tenant, leaver_id)[0] is False
    owner_client.post(f"/t/{tenant.slug}/admin/users/{leaver_id}/reactivate")
    assert login(app.test_client(), tenant, email).status_code == 302


def test_the_last_owner_cannot_be_deactivated_or_demoted(app, tenant):
    owner_id = _owner_id(app, tenant)
    second_owner = client_as(app, tenant, "owner")
    # with two owners, one may demote the other...
    admin_role = _ids(app, tenant, Role, Role.key, "admin")
    response = second_owner.post(f"/t/{tenant.slug}/admin/users/{owner_id}",
                                 data={"role": admin_role, "unit": 0})
    assert response.status_code == 302 and _user(app, tenant, owner_id)[1] == "admin"
    # ...but the remaining owner cannot demote or deactivate themselves away
    with app.app_context(), tenant_scope(tenant):
        me = db.session.scalars(sa.select(User.id).join(Role).where(Role.key == "owner")).one()
    refused = second_owner.post(f"/t/{tenant.slug}/admin/users/{me}",
                                data={"role": admin_role, "unit": 0})
    assert refused.status_code == 422
    assert "would leave the workspace without an active owner" in _html(refused)
    assert _user(app, tenant, me)[1] == "owner"
    admin = client_as(app, tenant, "admin")
    assert admin.post(f"/t/{tenant.slug}/admin/users/{me}/deactivate").status_code == 403


def test_nobody_deactivates_their_own_account(app, tenant):
    owner_id = _owner_id(app, tenant)
    other_owner_id = add_user(app, tenant, "owner", "co@x.example")
    with app.app_context(), tenant_scope(tenant):
        db.session.get(User, other_owner_id).active = False
        db.session.commit()
    client = app.test_client()
    login(client, tenant)
    response = client.post(f"/t/{tenant.slug}/admin/users/{owner_id}/deactivate")
    assert response.status_code == 422
    assert "cannot deactivate your own account" in _html(response)


def test_admin_mails_a_reset_link(app, tenant, owner_client):
    email = f"forgetful@{tenant.slug}.example"
    user_id = add_user(app, tenant, "sales_rep", email)
    response = owner_client.post(f"/t/{tenant.slug}/admin/users/{user_id}/reset-password",
                                 follow_redirects=True)
    assert "A password reset link is on its way" in _html(response)
    path = link_path(latest_mail(app, email), "password/reset")
    client = app.test_client()
    client.post(path, data={"password": "brand-new-secret", "confirm": "brand-new-secret"})
    assert login(client, tenant, email, "brand-new-secret").status_code == 302


def test_user_gets_a_unit_and_role(app, tenant, owner_client):
    with app.app_context(), tenant_scope(tenant):
        unit = Unit(name="上海门店", kind="store")
        db.session.add(unit)
        db.session.commit()
        unit_id = unit.id
    user_id = add_user(app, tenant, "sales_rep")
    manager = _ids(app, tenant, Role, Role.key, "sales_manager")
    response = owner_client.post(f"/t/{tenant.slug}/admin/users/{user_id}",
                                 data={"role": manager, "unit": unit_id})
    assert response.status_code == 302
    assert _user(app, tenant, user_id) == (True, "sales_manager", unit_id)
    bad = owner_client.post(f"/t/{tenant.slug}/admin/users/{user_id}",
                            data={"role": manager, "unit": 999999})
    assert bad.status_code == 422 and "Not a valid choice" in _html(bad)


def test_records_are_reassigned_in_bulk(app, tenant, owner_client):
    leaver_id = add_user(app, tenant, "sales_manager", name="Leaver")
    heir_id = add_user(app, tenant, "sales_manager", name="Heir")
    with app.app_context(), tenant_scope(tenant):
        units = [Unit(name=f"Store {n}", kind="store") for n in range(3)]
        db.session.add_all(units)
        db.session.flush()
        db.session.add_all(UnitManager(unit_id=u.id, user_id=leaver_id) for u in units)
        db.session.commit()
    page = owner_client.get(f"/t/{tenant.slug}/admin/users/{leaver_id}/reassign")
    assert "Units managed: 3" in _html(page)
    refused = owner_client.post(f"/t/{tenant.slug}/admin/users/{leaver_id}/reassign",
                                data={"to_user": 0})
    assert refused.status_code == 422 and "Choose another, active user" in _html(refused)
    done = owner_client.post(f"/t/{tenant.slug}/admin/users/{leaver_id}/reassign",
                             data={"to_user": heir_id}, follow_redirects=True)
    assert "3 records reassigned." in _html(done)
    with app.app_context(), tenant_scope(tenant):
        managers = db.session.scalars(sa.select(UnitManager.user_id)).all()
    assert managers == [heir_id] * 3


def test_the_users_page_lists_everyone(app, tenant, owner_client):
    add_user(app, tenant, "read_only", name="Reader Wu")
    page = _html(owner_client.get(f"/t/{tenant.slug}/admin/users"))
    assert "Reader Wu" in page and "Read-only" in page and "Owner" in page
    assert TEST_PASSWORD not in page
