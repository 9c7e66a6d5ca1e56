"""visible_to: own, unit, unit and below, all — as a WHERE computed in the query."""
import pytest
import sqlalchemy as sa

from app.access.models import Role
from app.access.visibility import visible_to
from app.auth.models import User
from app.extensions import db
from app.org.models import Unit
from tenants.context import tenant_scope

# A stand-in for a CRM table with an owner and a unit (customers, opportunities ...).
records = sa.Table("visibility_probe", sa.MetaData(),
                   sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("owner_id", sa.Integer), sa.Column("unit_id", sa.Integer))


@pytest.fixture
def org(app_ctx, tenant):
    """head → region → store, a user in region, records spread over the tree."""
    with tenant_scope(tenant):
        head = Unit(name="HQ", kind="head_office")
        db.session.add(head)
        db.session.flush()
        region = Unit(name="East", kind="region", parent_id=head.id)
        db.session.add(region)
        db.session.flush()
        store = Unit(name="Shanghai", kind="store", parent_id=region.id)
        db.session.add(store)
        db.session.flush()
        user = db.session.scalars(sa.select(User)).one()
        user.unit_id = region.id
        db.session.execute(sa.text(
            "CREATE TABLE visibility_probe (id int primary key, owner_id int, unit_id int)"))
        db.session.execute(records.insert(), [
            {"id": 1, "owner_id": user.id, "unit_id": head.id},     # mine, elsewhere
            {"id": 2, "owner_id": 999, "unit_id": region.id},       # my unit
            {"id": 3, "owner_id": 999, "unit_id": store.id},        # below my unit
            {"id": 4, "owner_id": 999, "unit_id": head.id},         # above my unit
            {"id": 5, "owner_id": 999, "unit_id": None},            # nobody's unit
        ])
        yield user
        db.session.rollback()


@pytest.mark.parametrize("visibility, seen", [
    ("own", [1]), ("unit", [1, 2]), ("unit_tree", [1, 2, 3]), ("all", [1, 2, 3, 4, 5]),
])
def test_each_visibility_selects_its_rows(org, visibility, seen):
    org.role = Role(key="probe", name="probe", permissions={}, visibility=visibility)
    query = sa.select(records.c.id).where(visible_to(org, records)).order_by(records.c.id)
    assert db.session.scalars(query).all() == seen


@pytest.mark.parametrize("visibility", ["unit", "unit_tree"])
def test_without_a_unit_unit_visibility_is_own_records(org, visibility):
    """Not "every record without a unit" either (record 5): the seeded service agent has "unit"."""
    org.unit_id = None
    org.role = Role(key="probe", name="probe", permissions={}, visibility=visibility)
    query = sa.select(records.c.id).where(visible_to(org, records))
    assert db.session.scalars(query).all() == [1]


def test_a_service_agent_without_a_unit_sees_only_own_customers(app, tenant):
    """Through the customer list and page, with the seeded role (visibility "unit")."""
    from app.customers import services as customers
    from tests.conftest import add_user, login

    agent_email = f"agent@{tenant.slug}.example"
    agent_id = add_user(app, tenant, "service_agent", agent_email)
    with app.test_request_context(), tenant_scope(tenant):
        owner_id = db.session.scalars(sa.select(User.id).where(User.id != agent_id)).first()
        mine = customers.create_customer({"name": "Agent Own Ltd"}, agent_id).id
        others = customers.create_customer({"name": "Unitless Other Ltd"}, owner_id).id
        db.session.commit()
    client = app.test_client()
    assert login(client, tenant, email=agent_email).status_code == 302
    listing = client.get(f"/t/{tenant.slug}/customers/").get_data(as_text=True)
    assert "Agent Own Ltd" in listing and "Unitless Other Ltd" not in listing
    assert client.get(f"/t/{tenant.slug}/customers/{mine}").status_code == 200
    assert client.get(f"/t/{tenant.slug}/customers/{others}").status_code == 404
