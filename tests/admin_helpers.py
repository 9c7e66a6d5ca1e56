"""Helpers shared by the tests of the tenant admin pages (audit, export, branding)."""
import sqlalchemy as sa

from app.access.models import Role
from app.auth.models import User
from app.auth.passwords import hash_password
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, login


def add_user(app, tenant, role_key: str = "sales_rep", email: str | None = None) -> str:
    """A committed user of tenant with the given role and TEST_PASSWORD; returns the e-mail."""
    email = email or f"{role_key}.user@{tenant.slug}.example"
    with app.app_context(), tenant_scope(tenant):
        role_id = db.session.scalars(sa.select(Role.id).where(Role.key == role_key)).one()
        db.session.add(User(email=email, name=role_key.title(), role_id=role_id,
                            password_hash=hash_password(TEST_PASSWORD)))
        db.session.commit()
    return email


def client_as(app, tenant, role_key: str):
    """A test client logged in to tenant as a new user with role_key."""
    client = app.test_client()
    response = login(client, tenant, email=add_user(app, tenant, role_key))
    assert response.status_code == 302
    return client


def html(response) -> str:
    return response.get_data(as_text=True)
