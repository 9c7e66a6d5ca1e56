"""Roles: copying and editing, and the rule that an active owner remains."""
import sqlalchemy as sa

from app.access.models import Role
from app.access.permissions import can
from app.auth.models import User
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import add_user, client_as


def _html(response):
    return response.get_data(as_text=True)


def _role(app, tenant, **where):
    with app.app_context(), tenant_scope(tenant):
        role = db.session.scalars(sa.select(Role).filter_by(**where)).one()
        return role.id, role.name, role.visibility, role.permissions


def test_copy_a_role_and_adjust_it(app, tenant, owner_client):
    rep_id = _role(app, tenant, key="sales_rep")[0]
    response = owner_client.post(f"/t/{tenant.slug}/admin/roles/{rep_id}/copy",
                                 data={"name": "Store rep"})
    assert response.status_code == 302
    copy_id, name, visibility, permissions = _role(app, tenant, name="Store rep")
    assert (visibility, permissions) == ("own", _role(app, tenant, key="sales_rep")[3])
    form = owner_client.get(response.location)
    assert 'value="customers:view" aria-label="Customers · View" checked' in _html(form)
    saved = owner_client.post(f"/t/{tenant.slug}/admin/roles/{copy_id}", data={
        "name": "Store rep", "visibility": "unit",
        "grant": ["customers:view", "customers:export", "calls:view", "bogus:fly"]})
    assert saved.status_code == 302
    assert _role(app, tenant, id=copy_id)[2:] == (
        "unit", {"customers": ["view", "export"], "calls": ["view"]})
    assert _role(app, tenant, key="sales_rep")[2] == "own"  # the original is untouched
    assert "Store rep" in _html(owner_client.get(f"/t/{tenant.slug}/admin/roles"))


def test_a_role_edit_that_leaves_no_owner_is_refused_and_nothing_changes(app, tenant, owner_client):
    owner_id, _name, _visibility, permissions = _role(app, tenant, key="owner")
    response = owner_client.post(f"/t/{tenant.slug}/admin/roles/{owner_id}", data={
        "name": "Boss", "visibility": "own", "grant": ["customers:view"]})
    assert response.status_code == 422
    assert "would leave the workspace without an active owner" in _html(response)
    assert _role(app, tenant, id=owner_id)[1:] == ("Owner", "all", permissions)
    assert owner_client.get(f"/t/{tenant.slug}/admin/users").status_code == 200


def test_an_owner_role_may_change_once_another_owner_role_is_held(app, tenant, owner_client):
    owner_id = _role(app, tenant, key="owner")[0]
    owner_client.post(f"/t/{tenant.slug}/admin/roles/{owner_id}/copy", data={"name": "Co-owner"})
    copy_id = _role(app, tenant, name="Co-owner")[0]
    add_user(app, tenant, "read_only", "co@x.example")
    with app.app_context(), tenant_scope(tenant):
        db.session.scalars(sa.select(User).where(User.email == "co@x.example")).one().role_id = copy_id
        db.session.commit()
    response = owner_client.post(f"/t/{tenant.slug}/admin/roles/{owner_id}", data={
        "name": "Owner", "visibility": "all", "grant": ["admin:admin"]})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.scalars(sa.select(User).where(User.email.like("owner@%"))).one()
        assert can(owner, "admin", "admin") and not can(owner, "customers", "view")


def test_an_admin_may_not_edit_or_copy_owner_roles(app, tenant):
    admin = client_as(app, tenant, "admin")
    owner_id = _role(app, tenant, key="owner")[0]
    assert admin.get(f"/t/{tenant.slug}/admin/roles/{owner_id}").status_code == 403
    assert admin.post(f"/t/{tenant.slug}/admin/roles/{owner_id}/copy",
                      data={"name": "Me too"}).status_code == 403
    rep_id = _role(app, tenant, key="sales_rep")[0]
    page = _html(admin.get(f"/t/{tenant.slug}/admin/roles/{rep_id}"))
    assert "full control of the workspace" not in page  # the owner switch is for owners only


def test_can_follows_the_role_and_the_account_state(app, tenant):
    user_id = add_user(app, tenant, "sales_rep")
    with app.app_context(), tenant_scope(tenant):
        user = db.session.get(User, user_id)
        user.is_authenticated  # noqa: B018  (a loaded user counts as authenticated)
        assert can(user, "customers", "edit") and not can(user, "customers", "delete")
        assert not can(user, "admin", "admin") and not can(None, "customers", "view")
        user.active = False
        assert not can(user, "customers", "view")
        db.session.rollback()
