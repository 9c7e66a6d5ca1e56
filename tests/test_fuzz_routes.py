"""Every GET route, given hostile query parameters, answers below 500.

NUL bytes, CR/LF, huge numbers, forged list cursors, percent-encodings that are not
UTF-8 and one key repeated: each route is swept once with a set of these, then
hypothesis mixes them at random. Workspace routes are opened as the tenant's owner,
provider console routes as provider owner staff, the rest without logging in.
"""
import base64
import json
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.extensions import db
from tests.access.hidden import make_hidden
from tests.conftest import make_tenant, login
from tests.console import console_client

# Query keys the views read (request.args), plus list filter keys.
KEYS = ["q", "sort", "before", "after", "cursor", "page", "col", "status", "customer", "format",
        "from", "to", "inline", "other", "opportunity", "customer_code", "currency", "owner",
        "stage", "since", "until", "grain", "interval", "by", "plan", "next", "name", "archived",
        "competitor", "slug", "tier", "tags", "view", "type", "region", "created_from", "amount_min"]


def _forged_cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


FORGED_CURSORS = [_forged_cursor(v) for v in (
    ["2024-13-45T99:99", 1], [{"a": 1}, "x"], [None], "just a string", [[1, 2], 10 ** 30],
    ["x", -1], [1e308, 1], [{"t": "nope"}, 1], [{"d": "abc"}, 1], ["a\x00b", 1], [1, 1e300],
    [{"t": "2024-01-01T00:00:00+00:00"}, 2 ** 70])] + ["!!!notbase64", "eyJ", "A" * 5000]
# Raw pieces of a query string, sent as they are (not quoted again).
HOSTILE = ["%00", "a%00b", "%0d%0a", "x%0d%0aSet-Cookie:%20a=b", "/%0d%0aSet-Cookie:%20a=b", "%ff%fe", "%c3%28", "%e2%82",
           "9" * 400, "-99999999999999999999", "1e999", "NaN", "-1", "0", "%25", "%",
           "2024-02-30", "9999-99-99", "' OR 1=1 --", "%5B%5D", "%7B%7D"] + [
           quote(c) for c in FORGED_CURSORS]


@pytest.fixture(scope="module")
def clients(app):
    """{blueprint prefix: client}, and the values that fill path arguments."""
    tenant = make_tenant(app, prefix="z")
    make_hidden(app, tenant)  # one customer, contact, deal, quote, order and file, id 1 each
    owner = app.test_client()
    assert login(owner, tenant).status_code == 302
    with app.app_context():
        plan_key = db.session.scalar(sa.text("SELECT key FROM public.plans ORDER BY id LIMIT 1"))
    paths = {"tenant_slug": tenant.slug, "tenant_id": tenant.id, "key": plan_key or "basic",
             "target": "customers", "filename": "css/app.css", "token": "not-a-token"}
    return {"workspace.": owner, "provider.": console_client(app, "owner"),
            "": app.test_client()}, paths


def get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods),
                  key=lambda r: r.rule)


def _path(rule, paths) -> str:
    values = {arg: paths.get(arg, 1) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _client(clients, rule):
    return next(c for prefix, c in clients.items() if rule.endpoint.startswith(prefix))


def _open(clients, paths, rule, pairs):
    query = "&".join(f"{key}={value}" for key, value in pairs)
    url = f"{_path(rule, paths)}?{query}"
    response = _client(clients, rule).get(url)
    assert response.status_code < 500, f"{url} → {response.status_code}"
    return response


def test_every_get_route_survives_a_sweep_of_hostile_parameters(app, clients):
    clients, paths = clients
    rules = [r for r in get_rules(app) if r.endpoint != "workspace.auth.logout"]
    assert len(rules) > 90
    for rule in rules:
        # Everything but NUL at once (a NUL stops the request at the door), then NUL alone.
        _open(clients, paths, rule, [(key, HOSTILE[i % len(HOSTILE)])
                                     for i, key in enumerate(KEYS) if "%00" not in HOSTILE[i % len(HOSTILE)]])
        # CR/LF in a redirect target everywhere, forged cursors in the page keys.
        _open(clients, paths, rule, [(key, "/%0d%0aSet-Cookie:%20a=b") for key in KEYS
                                     if key not in ("before", "after", "cursor")] + [
            (key, quote(cursor)) for key in ("before", "after", "cursor")
            for cursor in FORGED_CURSORS[:3]])
        assert _open(clients, paths, rule, [("q", "a%00b")]).status_code == 400


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_hostile_parameters_on_random_get_routes(app, clients, data):
    clients, paths = clients
    rules = [r for r in get_rules(app) if r.endpoint != "workspace.auth.logout"]
    rule = data.draw(st.sampled_from(rules))
    values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30).map(quote),
                       st.integers().map(str))
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(KEYS), values), max_size=6))
    _open(clients, paths, rule, pairs)
