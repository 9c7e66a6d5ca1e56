"""The organisation tree: head office, regions and stores; no cycles; managers."""
import sqlalchemy as sa

from app.extensions import db
from app.org.models import Unit, UnitManager
from tenants.context import tenant_scope
from tests.conftest import add_user


def _html(response):
    return response.get_data(as_text=True)


def _new(client, tenant, name, kind, parent=0, manager=0):
    return client.post(f"/t/{tenant.slug}/admin/units/new",
                       data={"name": name, "kind": kind, "parent": parent, "manager": manager})


def _unit_id(app, tenant, name):
    with app.app_context(), tenant_scope(tenant):
        return db.session.scalars(sa.select(Unit.id).where(Unit.name == name)).one()


def _build(client, app, tenant):
    _new(client, tenant, "总部", "head_office")
    _new(client, tenant, "华东区", "region", _unit_id(app, tenant, "总部"))
    _new(client, tenant, "上海店", "store", _unit_id(app, tenant, "华东区"))
    return [_unit_id(app, tenant, name) for name in ("总部", "华东区", "上海店")]


def test_head_office_regions_and_stores_listed_as_a_tree(app, tenant, owner_client):
    manager_id = add_user(app, tenant, "sales_manager", name="Manager Zhao")
    head, region, store = _build(owner_client, app, tenant)
    owner_client.post(f"/t/{tenant.slug}/admin/units/{store}", data={
        "name": "上海南京路店", "kind": "store", "parent": region, "manager": manager_id})
    page = _html(owner_client.get(f"/t/{tenant.slug}/admin/units"))
    assert page.index("总部") < page.index("华东区") < page.index("上海南京路店")
    assert '<span class="unit-depth-2">上海南京路店</span>' in page
    assert "Manager Zhao" in page and "Store" in page and "Head office" in page


def test_a_unit_cannot_move_under_itself_or_its_children(app, tenant, owner_client):
    head, region, store = _build(owner_client, app, tenant)
    for new_parent in (store, head):
        response = owner_client.post(f"/t/{tenant.slug}/admin/units/{head}", data={
            "name": "总部 renamed", "kind": "head_office", "parent": new_parent, "manager": 0})
        assert response.status_code == 422
        assert "cannot be moved under itself or one of its own sub-units" in _html(response)
    with app.app_context(), tenant_scope(tenant):
        unit = db.session.get(Unit, head)
        assert (unit.name, unit.parent_id) == ("总部", None)  # nothing half-saved


def test_a_store_moves_to_another_region(app, tenant, owner_client):
    head, region, store = _build(owner_client, app, tenant)
    _new(owner_client, tenant, "华南区", "region", head)
    south = _unit_id(app, tenant, "华南区")
    response = owner_client.post(f"/t/{tenant.slug}/admin/units/{store}", data={
        "name": "上海店", "kind": "store", "parent": south, "manager": 0})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Unit, store).parent_id == south


def test_a_manager_is_set_changed_and_cleared(app, tenant, owner_client):
    first, second = add_user(app, tenant, "sales_manager"), add_user(app, tenant, "sales_manager")
    (head,) = _build(owner_client, app, tenant)[:1]

    def save(manager):
        return owner_client.post(f"/t/{tenant.slug}/admin/units/{head}", data={
            "name": "总部", "kind": "head_office", "parent": 0, "manager": manager})

    def managers():
        with app.app_context(), tenant_scope(tenant):
            return db.session.scalars(sa.select(UnitManager.user_id)).all()

    save(first)
    assert managers() == [first]
    save(second)
    assert managers() == [second]
    save(0)
    assert managers() == []


def test_missing_name_or_unknown_kind_shows_the_form_again(app, tenant, owner_client):
    response = _new(owner_client, tenant, "", "castle")
    assert response.status_code == 422
    assert "This field is required." in _html(response) and "Not a valid choice" in _html(response)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 0


def test_every_admin_page_renders_for_real_records(app, tenant, owner_client):
    head = _build(owner_client, app, tenant)[0]
    user_id = add_user(app, tenant, "sales_rep")
    from app.access.models import Role

    with app.app_context(), tenant_scope(tenant):
        role_id = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
    base = f"/t/{tenant.slug}"
    for path in ("/admin/users", "/admin/users/invite", f"/admin/users/{user_id}",
                 f"/admin/users/{user_id}/reassign", "/admin/units", "/admin/units/new",
                 f"/admin/units/{head}", "/admin/roles", f"/admin/roles/{role_id}",
                 "/admin/logins", "/profile", "/profile/password", "/profile/two-factor"):
        response = owner_client.get(base + path)
        assert response.status_code == 200, path
        assert "<script>" not in _html(response)  # no inline scripts (CSP)
