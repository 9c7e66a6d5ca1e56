"""Waiting for jobs a page started in a thread (imports run so without a queue)."""
import threading


def wait_for_jobs(timeout: float = 120) -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("kehu-job "):
            thread.join(timeout)
