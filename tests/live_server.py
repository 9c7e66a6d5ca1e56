"""Run the real app under gunicorn against the test database, for tests that need HTTP.

    with gunicorn(database_url, log_path) as base_url:
        urllib.request.urlopen(base_url + "/healthz")

The server runs without TESTING, so CSRF and the security headers are on as in
production. Its output goes to log_path and is shown when it fails to start.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 180) -> None:
    # Returns as soon as /healthz answers; the bound is generous because a loaded
    # machine was seen to need more than 30 s to start gunicorn and import the app.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start within {timeout}s:\n{log_path.read_text()}")


@contextmanager
def gunicorn(database_url: str, log_path: Path, workers: int = 2, threads: int = 4,
             env: dict | None = None):
    """A gunicorn serving wsgi:app on a free local port (extra environment: env); yields its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test-secret",
           "TENANT_POOL_TARGET": "0", **(env or {})}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log_path)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
