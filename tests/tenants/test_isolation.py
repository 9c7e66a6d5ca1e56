"""No leakage between tenants under concurrency: threads in-process, and real gunicorn workers.

Two tenants with different languages and teams are hammered at once; every
answer must hold only its own tenant's rows (team members, stage names).
"""
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa

from app.access.models import Role
from app.auth.models import User
from app.extensions import db
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD, login
from tests.live_server import gunicorn

REQUESTS_PER_TENANT = 120


@pytest.fixture
def two_tenants(app, new_tenant):
    """Tenant A in Chinese with three members, tenant B in English with two."""
    a, b = new_tenant(locale="zh_Hans", name="Alpha 甲"), new_tenant(locale="en", name="Beta")
    for tenant, names in ((a, ["甲一号", "甲二号"]), (b, ["Bravo One"])):
        with app.app_context(), tenant_scope(tenant):
            rep = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
            for name in names:
                db.session.add(User(email=f"{name.replace(' ', '')}@x.example".lower(),
                                    name=name, role_id=rep))
            db.session.commit()
    return a, b


MARKERS = {  # what only tenant A shows, what only tenant B shows
    "a": ["甲一号", "甲二号", "Alpha 甲"],
    "b": ["Bravo One", "Beta"],
}
PAGE = "admin/users"  # the tenant's users, by name, under the tenant's name


def _check(page: str, own: str, other: str) -> list[str]:
    problems = [f"missing own {m}" for m in MARKERS[own] if m not in page]
    problems += [f"LEAK of {m}" for m in MARKERS[other] if m in page]
    return problems


def test_threads_hammering_two_tenants_see_only_their_own_rows(app, two_tenants):
    a, b = two_tenants
    clients = {}
    for key, tenant in (("a", a), ("b", b)):
        clients[key] = app.test_client()
        assert login(clients[key], tenant).status_code == 302

    def fetch(i):
        key, other = ("a", "b") if i % 2 == 0 else ("b", "a")
        tenant = a if key == "a" else b
        client = app.test_client()
        client._cookies = clients[key]._cookies  # the same logged-in browser, many tabs
        response = client.get(f"/t/{tenant.slug}/{PAGE}")
        assert response.status_code == 200
        return _check(response.get_data(as_text=True), key, other)

    with ThreadPoolExecutor(max_workers=16) as pool:
        problems = [p for result in pool.map(fetch, range(2 * REQUESTS_PER_TENANT)) for p in result]
    assert problems == []


class Browser:
    """A tiny cookie-keeping HTTP client for the gunicorn test (CSRF is on there)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.status, response.read().decode()

    def login(self, tenant):
        _, page = self.get(f"/t/{tenant.slug}/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "password": TEST_PASSWORD,
                                       "email": f"owner@{tenant.slug}.example"}).encode()
        with self.opener.open(self.base + f"/t/{tenant.slug}/login", data=data, timeout=10) as r:
            assert r.url.endswith(f"/t/{tenant.slug}/"), r.url


def test_gunicorn_workers_and_threads_never_mix_tenants(app, database_url, two_tenants, tmp_path):
    a, b = two_tenants
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=3, threads=4) as base:
        browsers = {"a": Browser(base), "b": Browser(base)}
        browsers["a"].login(a)
        browsers["b"].login(b)

        def fetch(i):
            key, other = ("a", "b") if i % 2 == 0 else ("b", "a")
            status, page = browsers[key].get(f"/t/{(a if key == 'a' else b).slug}/{PAGE}")
            assert status == 200
            return _check(page, key, other)

        with ThreadPoolExecutor(max_workers=12) as pool:
            problems = [p for r in pool.map(fetch, range(2 * REQUESTS_PER_TENANT)) for p in r]
        assert problems == []
