"""Browser tests: Playwright drives Debian's chromium against the real app under gunicorn.

Never `playwright install`: the browser is /usr/bin/chromium (`make browser-deps`
installs it). Without it every browser test is skipped, saying so.

Fixtures:
  live_server  base URL of a gunicorn serving the test database (session)
  browser      a headless chromium (session)
  page, phone  a desktop (1280x800) or phone (390x844, touch) page in a fresh context;
               page.problems collects console errors (CSP violations among them)
               and uncaught exceptions
  shot         shot(page, "step") saves tests/artifacts/<test>-<step>.png

Tests wait for conditions (Playwright's auto-waiting actions and `expect`), never
for a time. CEILING_MS only bounds how long a condition that never comes true is
waited for before the test fails; it is generous because a shared, loaded machine
may take seconds to serve a page.
"""
import re
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT
from tests.live_server import gunicorn

CHROMIUM = Path("/usr/bin/chromium")
CEILING_MS = 60_000
expect.set_options(timeout=CEILING_MS)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session", autouse=True)
def require_chromium():
    """Skip, loudly: the reason shows in the warnings summary even without -rs."""
    if not CHROMIUM.exists():
        reason = (f"BROWSER TESTS SKIPPED: chromium is not installed at {CHROMIUM} "
                  "(run `make browser-deps`, or as root `apt-get install chromium`)")
        warnings.warn(pytest.PytestWarning(reason))
        pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(app, database_url, tmp_path_factory):
    """`app` has migrated the test database; gunicorn then serves it with CSRF and CSP on."""
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with gunicorn(database_url, log, workers=1, threads=4) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _watch_for_problems(page) -> list[str]:
    """Console errors (Chromium reports CSP violations there) and uncaught exceptions.

    Not counted: "Failed to load resource" for a page itself (the app answers a
    rejected form with 422 on purpose) and for /favicon.ico, which chromium asks
    for once per browser, so in whichever test comes first (a test checks it).
    """
    problems, documents = [], set()
    page.on("request", lambda request: documents.add(request.url)
            if request.is_navigation_request() else None)

    def on_console(msg):
        url = msg.location.get("url") or page.url
        failed_load = msg.text.startswith("Failed to load resource")
        if msg.type == "error" and not (
                failed_load and (url in documents or url.endswith("/favicon.ico"))):
            problems.append(f"console.error: {msg.text} [{url}]")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"uncaught exception: {exc} [{page.url}]"))
    return problems


@pytest.fixture
def open_page(browser, live_server):
    """open_page(DESKTOP or PHONE): a page in a fresh context (no cookies) on the live server.

    page.problems lists the console errors and uncaught exceptions seen so far.
    """
    contexts = []

    def open_(device: dict):
        context = browser.new_context(base_url=live_server, locale="en-US", **device)
        context.set_default_timeout(CEILING_MS)
        contexts.append(context)
        page = context.new_page()
        page.problems = _watch_for_problems(page)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A desktop page, 1280x800."""
    return open_page(DESKTOP)


@pytest.fixture
def phone(open_page):
    """A phone page, 390x844 with touch."""
    return open_page(PHONE)


@pytest.fixture
def shot(request, artifacts):
    """shot(page, "1-login") saves tests/artifacts/<test name>-1-login.png (the whole page)."""
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)

    def take(page, step: str) -> Path:
        path = artifacts / f"{test_name}-{step}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        return path

    return take
