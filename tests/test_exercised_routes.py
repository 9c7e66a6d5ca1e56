"""Every POST route of the workspace is named in tests/exercised.py with a test that drives it.

The permission matrix only checks that an allowed role is not refused; the
test named for a route posts to it for real and checks the effect (the
conftest fixture fails that test if the route did not answer it with a
success). A new POST route fails here until it gets its line.
"""
import importlib

from tests.exercised import EXERCISED


def _post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and rule.endpoint.startswith("workspace.")}


def test_every_workspace_post_route_is_exercised(app):
    assert sorted(_post_endpoints(app) - set(EXERCISED)) == []


def test_the_table_names_no_route_that_is_gone(app):
    assert sorted(set(EXERCISED) - _post_endpoints(app)) == []


def test_every_named_test_exists():
    missing = []
    for endpoint, reference in EXERCISED.items():
        path, name = reference.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        if not callable(getattr(module, name, None)) or not name.startswith("test_"):
            missing.append(f"{endpoint}: {reference}")
    assert missing == []
