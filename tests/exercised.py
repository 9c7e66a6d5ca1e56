"""Every state-changing workspace route is driven for real by a role allowed to use it.

EXERCISED names, for each POST endpoint, one test that posts to it as a user
whose role may, and checks the effect. While that test runs, the app's
`request_finished` signal records every POST; at its end the test fails unless
the endpoint answered it with a success (2xx or a redirect). A new POST route
must get a line here (tests/test_exercised_routes.py fails otherwise).

Browser tests are not named here: they reach gunicorn, another process.
"""
from flask import request, request_finished

EXERCISED = {
}

_posts: list[tuple[str, int]] = []


def _record(sender, response, **extra):
    if request.method == "POST" and request.endpoint:
        _posts.append((request.endpoint, response.status_code))


request_finished.connect(_record)


def tests_of(endpoints: dict) -> dict[str, list[str]]:
    """test reference → the endpoints it must drive."""
    by_test: dict[str, list[str]] = {}
    for endpoint, test in endpoints.items():
        by_test.setdefault(test, []).append(endpoint)
    return by_test


BY_TEST = tests_of(EXERCISED)


def reference(item) -> str:
    """tests/x/test_y.py::test_name (parameters dropped) of a pytest item."""
    path = item.nodeid.split("::")[0]
    return f"{path}::{getattr(item, 'originalname', item.name)}"


def start() -> None:
    _posts.clear()


def missing(item) -> list[str]:
    """The endpoints this test should have driven with a success and did not."""
    wanted = BY_TEST.get(reference(item), [])
    succeeded = {endpoint for endpoint, status in _posts if status < 400}
    return [endpoint for endpoint in wanted if endpoint not in succeeded]


def record_to(path) -> None:
    """KEHU_RECORD_POSTS=file: append "endpoint status test" lines (to fill EXERCISED)."""
    import os

    target = os.environ.get("KEHU_RECORD_POSTS")
    if target:
        with open(target, "a") as out:
            out.writelines(f"{endpoint} {status} {path}\n" for endpoint, status in _posts)
