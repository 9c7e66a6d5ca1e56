"""Rate limits are shared by every gunicorn worker (PostgreSQL storage without Redis)."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.live_server import gunicorn

LIMIT = 5


def _attempt(base: str, slug: str, n: int) -> int:
    """One log-in from a fresh browser (its own cookies, its own connection)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/t/{slug}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": f"guess{n}@x.example",
                                   "password": "whatever-pw"}).encode()
    try:
        return opener.open(f"{base}/t/{slug}/login", data=data).status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_workers_count_one_limit(database_url, tenant, tmp_path):
    env = {"LOGIN_LIMIT_PER_IP": f"{LIMIT} per minute", "RATELIMIT_STORAGE_URI": "",
           "REDIS_URL": ""}
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=2, threads=2, env=env) as base:
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda n: _attempt(base, tenant.slug, n), range(4 * LIMIT)))
    assert sorted(set(answers)) == [422, 429]
    assert answers.count(422) == LIMIT  # one count for the address, not one per worker
