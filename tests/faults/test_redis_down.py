"""REDIS_URL set but nothing answering there: the app serves, rate limits fall back to
each process's memory, and jobs run inline instead of being lost (real gunicorn)."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from tests.conftest import TEST_PASSWORD
from tests.live_server import free_port, gunicorn


def _opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _get(opener, url):
    with opener.open(url, timeout=30) as response:
        return response.status, response.read().decode()


def _post_form(opener, url, page_url, fields):
    """Post with the CSRF token of the form at page_url, as a browser would."""
    _status, page = _get(opener, page_url)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
    try:
        with opener.open(url, data=data, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_app_serves_limits_and_runs_jobs_with_redis_down(
        database_url, tenant, tmp_path, monkeypatch):
    closed = free_port()  # nothing listens here
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{closed}/0")
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("MAIL_SINK_DIR", str(tmp_path / "mail"))
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=1, threads=2) as base:
        browser = _opener()
        login = f"{base}/t/{tenant.slug}/login"
        status, page = _post_form(browser, login, login, {
            "email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD})
        assert status == 200 and "Log out" in page  # the rate-limited log-in works

        export = f"{base}/t/{tenant.slug}/admin/export/"
        status, page = _post_form(browser, export, export, {})
        assert status == 200
        assert "Download" in page  # the export job ran inline: nothing waits on a dead queue

        # The limits still hold, counted in memory: the 21st attempt in a minute is refused.
        stranger = _opener()
        statuses = [_post_form(stranger, login, login, {"email": "nobody@example.com",
                                                        "password": "wrong-password-1"})[0]
                    for _ in range(21)]
        assert statuses[-1] == 429 and 500 not in statuses
