"""Fault tests: real components (a PostgreSQL of the test's own, SMTP, gunicorn) made to fail."""
import secrets

import pytest

from app import create_app
from app.extensions import db
from tenants import provisioning
from tenants.migrating import upgrade_public
from tests.catalogs import compile_catalogs
from tests.faults.throwaway_postgres import ThrowawayPostgres


@pytest.fixture
def own_postgres():
    """A started PostgreSQL that only this test uses (restarted, stopped at will)."""
    server = ThrowawayPostgres().init()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def app_on(url: str, tmp_path, **overrides):
    """The app as the suite configures it, on the given server, with a fresh tenant "acme".

    The engine options and the pool's checkout ping are the app's own: what is under
    test is how the real configuration copes.
    """
    from app.auth.passwords import hash_password

    compile_catalogs()
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg2://"),
        "TESTING": True, "SECRET_KEY": "fault-" + secrets.token_hex(8), "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 8192,
        "MAIL_SINK_DIR": str(tmp_path / "mail"), "TENANT_POOL_TARGET": 0,
        "RATELIMIT_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "uploads"), **overrides,
    })
    with app.app_context():
        upgrade_public(db.engine)
        provisioning.create_tenant(provisioning.NewTenant(
            slug="acme", name="Acme", admin_email="owner@acme.example", admin_name="Owner",
            admin_password_hash=hash_password("correct-horse-battery"), locale="en"))
        db.session.commit()
    return app


def logged_in(app):
    client = app.test_client()
    response = client.post("/t/acme/login", data={"email": "owner@acme.example",
                                                  "password": "correct-horse-battery"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
