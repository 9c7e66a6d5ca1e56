"""`flask jobs scheduler`: a tick every N seconds until SIGTERM or SIGINT (Ctrl-C).

A signal only sets a flag: the handler under way finishes (it commits or rolls back
as usual), the tick hands back what it claimed and has not run yet, and the loop exits
at once instead of waiting out its pause.
"""
import logging
import signal
import threading

from app.scheduler.tick import tick

log = logging.getLogger(__name__)


def run_forever(interval: float, stop: threading.Event | None = None, echo=print,
                names: list[str] | None = None) -> int:
    """Tick until stopped; returns the number of ticks made."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    echo(f"scheduler: a tick every {interval:g} s (SIGTERM or Ctrl-C stops it)")
    ticks = 0
    while not stop.is_set():
        try:
            result = tick(names=names, stop=stop)
            if result.done or result.failed or result.queued:
                echo(f"scheduler: {len(result.done)} ran, {len(result.failed)} failed, "
                     f"{result.queued} queued")
        except Exception:  # noqa: BLE001  (the database restarting: try again next time)
            log.exception("scheduler tick failed; trying again in %s s", interval)
        ticks += 1
        stop.wait(interval)
    echo("scheduler: stopped")
    return ticks
