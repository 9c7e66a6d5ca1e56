"""`make run`'s gunicorn on the embedded PostgreSQL: the ready line names the address
really bound, the scheduler runs beside it, and Ctrl-C leaves no PostgreSQL (and no
scheduler) behind, even after a worker was killed."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from tests.conftest import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _postgres_on(pgdata: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(pgdata) in cmdline:
            found.append(process)
    return found


def _read_ready_line(process, deadline: float) -> str:
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if "is ready at" in line:
            return line
    raise AssertionError("no ready line:\n" + "".join(lines))


def test_ctrl_c_leaves_no_embedded_postgres_even_after_a_killed_worker():
    root = Path(tempfile.mkdtemp(prefix="kehu-dev-run-"))
    pgdata = root / "pgdata"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL")}
    env.update(EMBEDDED_PGDATA=str(pgdata), TENANT_POOL_TARGET="0", SECRET_KEY="dev-run-test")
    # Its own process group, so Ctrl-C can be sent to all of it, as a terminal does.
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "python:app.devserver", "--workers", "2", "--threads", "2",
         "--bind", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    try:
        line = _read_ready_line(process, time.monotonic() + 120)
        url = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert url and url.group(1) != "0"  # the port really bound, not the one asked for
        assert urllib.request.urlopen(url.group(0) + "healthz", timeout=60).status == 200
        assert _postgres_on(pgdata)

        children = psutil.Process(process.pid).children()
        schedulers = [c for c in children if "scheduler" in c.cmdline()]
        workers = [c for c in children if c not in schedulers]
        assert len(schedulers) == 1 and workers
        workers[0].kill()  # as gunicorn kills a worker that hangs past its graceful timeout
        workers[0].wait(10)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        process.communicate(timeout=60)

        assert _postgres_on(pgdata) == []
        assert not schedulers[0].is_running()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for leftover in _postgres_on(pgdata):  # never leave one behind, even on failure
            leftover.terminate()
        shutil.rmtree(root, ignore_errors=True)
