"""Test set-up: a real PostgreSQL database per test worker, migrated once.

The server is TEST_DATABASE_URL or DATABASE_URL when set (any database on it
is used only to connect; each worker creates and owns `kehu_test_<worker>`),
otherwise the embedded PostgreSQL 16 under instance/pgdata-test.

Tests commit for real, as the app does. A test that counts rows gets its own
tenant from `new_tenant` (a pooled schema renamed, so a few milliseconds).
"""
import itertools
import os
import secrets
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import create_app
from app.database import create_database_if_missing, embedded_server_url, sqlalchemy_url
from app.extensions import db
from tests.catalogs import compile_catalogs
from tenants import provisioning
from tenants.migrating import upgrade_public

ROOT = Path(__file__).resolve().parent.parent
TEST_PASSWORD = "correct-horse-battery"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _server_admin_url() -> str:
    server = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not server:
        return embedded_server_url(ROOT / "instance" / "pgdata-test", "postgres", for_tests=True)
    return make_url(sqlalchemy_url(server)).render_as_string(hide_password=False)


def _drop_database(admin_url: str, name: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture(scope="session")
def database_url() -> str:
    """A new database for this run and worker, dropped at the end: runs never share one."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8]
    name = f"kehu_test_{run}_{_worker()}"
    admin_url = _server_admin_url()
    _drop_database(admin_url, name)
    create_database_if_missing(admin_url, name)
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    _drop_database(admin_url, name)  # FORCE ends the app's and gunicorn's open connections


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    compile_catalogs()
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + secrets.token_hex(8),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 8192,
        "MAIL_SINK_DIR": str(tmp_path_factory.mktemp("mail")),
        "TENANT_POOL_TARGET": 0,
        "RATELIMIT_ENABLED": False,
    })
    with app.app_context():
        upgrade_public(db.engine)
        provisioning.fill_pool(4)
    return app


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()


_slugs = itertools.count(1)


def make_tenant(app, prefix: str = "t", **fields):
    """A committed, ready tenant whose owner can log in with TEST_PASSWORD."""
    from app.auth.passwords import hash_password

    fields.setdefault("locale", "en")
    slug = f"{prefix}{next(_slugs)}-{_worker().replace('gw', 'w')}-{secrets.token_hex(2)}"
    with app.app_context():
        spec = provisioning.NewTenant(
            slug=slug, name=fields.pop("name", slug.title()),
            admin_email=fields.pop("admin_email", f"owner@{slug}.example"),
            admin_name="Owner", admin_password_hash=hash_password(TEST_PASSWORD), **fields,
        )
        tenant = provisioning.claim_pooled_tenant(spec)
        db.session.commit()
        db.session.refresh(tenant)
        db.session.expunge(tenant)
    return tenant


@pytest.fixture
def scope(app, tenant):
    """Inside the tenant, with a request context (services use url_for, audit and mail)."""
    from tenants.context import tenant_scope

    with app.test_request_context(), tenant_scope(tenant):
        yield tenant
        db.session.rollback()


def owner_id() -> int:
    """The tenant's first user (its owner), inside a tenant scope."""
    from app.auth.models import User

    return db.session.scalars(sa.select(User.id).order_by(User.id)).first()


@pytest.fixture
def new_tenant(app):
    """A factory: new_tenant(locale="en") gives a fresh tenant of this test alone."""
    return lambda **fields: make_tenant(app, **fields)


@pytest.fixture
def tenant(new_tenant):
    return new_tenant()


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, tenant, email=None, password=TEST_PASSWORD):
    email = email or f"owner@{tenant.slug}.example"
    return client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": password})


@pytest.fixture
def owner_client(app, tenant):
    client = app.test_client()
    response = login(client, tenant)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def add_user(app, tenant, role_key: str, email: str | None = None, **fields) -> int:
    """A committed active user of tenant with the seeded role role_key; returns its id."""
    from app.access.models import Role
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from tenants.context import tenant_scope

    email = email or f"{role_key}-{secrets.token_hex(3)}@{tenant.slug}.example"
    with app.app_context(), tenant_scope(tenant):
        role = db.session.scalars(sa.select(Role).where(Role.key == role_key)).one()
        user = User(email=email, name=fields.pop("name", role_key.replace("_", " ").title()),
                    password_hash=hash_password(TEST_PASSWORD), role_id=role.id, **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


def client_as(app, tenant, role_key: str, **fields):
    """A test client logged in as a new user with the seeded role role_key."""
    email = f"{role_key}-{secrets.token_hex(3)}@{tenant.slug}.example"
    add_user(app, tenant, role_key, email, **fields)
    client = app.test_client()
    response = login(client, tenant, email=email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture(autouse=True)
def _drives_its_exercised_routes(request):
    """A test named in tests/exercised.py must succeed on the POST routes it stands for."""
    from tests import exercised

    exercised.start()
    yield
    exercised.record_to(exercised.reference(request.node))
    missing = exercised.missing(request.node)
    assert not missing, f"this test stands for {missing} (tests/exercised.py) but did not drive them"


@pytest.fixture(autouse=True)
def _login_failures_stay_in_their_test(request):
    """Every test client logs in from 127.0.0.1, and the log-in throttle counts failures per
    address across the whole run: forget them after each test, so one test's wrong passwords
    never slow another's log-in (the throttle tests count within themselves).

    Flask-Limiter's switch is one object shared by every app of the process: a test (or a job
    thread) that makes an app with limits on leaves them on for the next tests. The suite's
    app has them off, so each test starts with them off."""
    from app.extensions import limiter

    limiter.enabled = False
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM public.login_throttle"))
        db.session.commit()
