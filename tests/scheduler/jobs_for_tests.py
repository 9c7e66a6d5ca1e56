"""Jobs queued by path in the scheduler tests: one that fails until told not to."""
from app.extensions import db

FAILING = {"on": True}
DONE: list[tuple[int, str]] = []


def flaky(tenant_id: int, label: str) -> None:
    if FAILING["on"]:
        raise ValueError(f"flaky job {label} failed")
    DONE.append((tenant_id, label))
    db.session.flush()
