"""gunicorn settings for `make run` (`gunicorn -c python:app.devserver`).

* The app is loaded in the master before the workers fork (preload_app), so the
  master is the embedded PostgreSQL's lasting user: Ctrl-C stops the server once
  the master exits, even when a hung worker had to be killed.
* The ready line is printed once gunicorn listens, with the address it really
  bound (HOST and PORT as given; port 0 becomes the port the system chose).
* The scheduler (`flask jobs scheduler`) runs beside the server as a child process,
  so reminders and daily work fire in the demo. Ctrl-C reaches it too (it is in the
  terminal's process group); on_exit stops it in any case. A process rather than a
  thread of the master: the workers are forked from the master, and a thread there
  would hand them copies of its database connections.
"""
import os
import subprocess
import sys
from pathlib import Path

preload_app = True
# A request still running at Ctrl-C gets this long before its worker is killed.
graceful_timeout = 10
# Seconds between the demo scheduler's ticks (SCHEDULER_INTERVAL overrides).
SCHEDULER_INTERVAL = os.environ.get("SCHEDULER_INTERVAL", "20")

PROJECT = Path(__file__).resolve().parent.parent  # where wsgi.py is
_scheduler: subprocess.Popen | None = None


def when_ready(server):
    global _scheduler
    for listener in server.LISTENERS:
        host, port = listener.sock.getsockname()[:2]
        print(f"\nKehu CRM is ready at http://{host}:{port}/  (Ctrl-C stops it)\n", flush=True)
    _scheduler = start_scheduler()


def on_exit(server):
    stop_scheduler(_scheduler)


def start_scheduler(interval: str = SCHEDULER_INTERVAL, env: dict | None = None,
                    output=None, options: tuple[str, ...] = ()) -> subprocess.Popen:
    """`flask jobs scheduler` as a child process with this process's settings (and output,
    unless `output` is a file to write it to)."""
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi:app", "jobs", "scheduler",
                             "--interval", str(interval), *options], cwd=PROJECT, env=env if env is not None else os.environ.copy(),
                            stdout=output, stderr=subprocess.STDOUT if output else None)


def stop_scheduler(process: subprocess.Popen | None, timeout: float = 30) -> int | None:
    """SIGTERM: the handler under way ends, then the loop exits; killed if it does not."""
    if process is None or process.poll() is not None:
        return process.returncode if process is not None else None
    process.terminate()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
