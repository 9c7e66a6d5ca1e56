"""Slowing down password guessing without locking the owner out (tenant and provider log-ins).

Failures are counted per account *and address* ("t:<tenant>:<email>|<ip>") and
per address alone ("ip:<ip>", password spraying). After a few free failures each
key must wait before its next try, twice as long after every further failure, up
to a ceiling. The account's owner, trying from another address, is not slowed:
an attacker can no longer lock anyone out by failing on purpose. The counters
live in one public table, so every gunicorn worker and process sees the same
count. Unknown and known addresses are counted alike, so the answer reveals nothing.
"""
import math
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db_base import PublicModel
from app.extensions import db


class LoginThrottle(PublicModel):
    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


def keys_for(area: str, email: str, ip: str | None) -> list[tuple[str, int]]:
    """(key, free failures) of one attempt: the account from this address, and the address."""
    config, address = current_app.config, (ip or "unknown")[:64]
    return [(f"{area}:{email.strip().lower()[:254]}|{address}", config["LOGIN_FREE_FAILURES"]),
            (f"ip:{address}", config["LOGIN_FREE_FAILURES_PER_IP"])]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def wait_seconds(keys: list[tuple[str, int]]) -> int:
    """How long the attempt must wait (0: it may go ahead)."""
    until = db.session.scalar(sa.select(sa.func.max(LoginThrottle.blocked_until))
                              .where(LoginThrottle.key.in_([key for key, _free in keys])))
    if until is None or until <= _now():
        return 0
    return max(1, math.ceil((until - _now()).total_seconds()))


def _delay(failures: int, free: int) -> timedelta | None:
    if failures <= free:
        return None
    ceiling = current_app.config["LOGIN_BACKOFF_MAX_SECONDS"]
    return timedelta(seconds=min(ceiling, 2 ** min(failures - free, 20)))


def register_failure(keys: list[tuple[str, int]]) -> None:
    """Count a failed attempt on every key (atomically; survives the request's rollback)."""
    now, window = _now(), timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    table = LoginThrottle.__table__
    with Session(db.engine) as session, session.begin():
        for key, free in keys:
            upsert = insert(table).values(key=key, failures=1, last_failure_at=now)
            failures = session.execute(upsert.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={"failures": sa.case((table.c.last_failure_at < now - window, 1),
                                          else_=table.c.failures + 1),
                      "last_failure_at": now},
            ).returning(table.c.failures)).scalar_one()
            delay = _delay(failures, free)
            if delay is not None:
                session.execute(sa.update(table).where(table.c.key == key)
                                .values(blocked_until=now + delay))
        # Old counters would otherwise pile up; forgetting them is what the window means.
        session.execute(sa.delete(table).where(table.c.last_failure_at < now - window)
                        .where(sa.or_(table.c.blocked_until.is_(None),
                                      table.c.blocked_until < now)))


def register_success(keys: list[tuple[str, int]]) -> None:
    """Forget the failures of this account from this address (the address count decays)."""
    account_key = keys[0][0]
    with Session(db.engine) as session, session.begin():
        session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == account_key))
