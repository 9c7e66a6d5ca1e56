"""Flask-Limiter's counters in PostgreSQL, so every gunicorn worker and process shares them.

Limits kept in each worker's memory are multiplied by the number of workers. With
REDIS_URL set the limiter uses Redis; otherwise RATELIMIT_STORAGE_URI is
"kehudb://", this storage: one public table, one UPSERT per counted request (fixed
windows, Flask-Limiter's default strategy). Only the limited routes touch it (log-in,
sign-up, password reset), so the extra round trip is rare.
"""
import random
import time
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from limits.storage import Storage
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import PublicModel


class RateLimitCounter(PublicModel):
    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


_table = RateLimitCounter.__table__


class DatabaseStorage(Storage):
    """A `limits` storage on public.rate_limit_counters, through the app's own engine."""

    STORAGE_SCHEME = ["kehudb"]

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def _engine(self):
        from app.extensions import db

        return db.engine if current_app else None

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        expires = sa.func.now() + sa.func.make_interval(0, 0, 0, 0, 0, 0, float(expiry))
        expired = _table.c.expires_at <= sa.func.now()
        upsert = insert(_table).values(key=key, hits=amount, expires_at=expires)
        upsert = upsert.on_conflict_do_update(index_elements=[_table.c.key], set_={
            "hits": sa.case((expired, amount), else_=_table.c.hits + amount),
            "expires_at": sa.case((expired, expires), else_=_table.c.expires_at),
        }).returning(_table.c.hits)
        with self._engine().begin() as connection:
            hits = connection.execute(upsert).scalar_one()
            if random.random() < 0.01:  # now and then, forget windows long over
                connection.execute(sa.delete(_table).where(expired))
        return hits

    def get(self, key: str) -> int:
        with self._engine().connect() as connection:
            hits = connection.scalar(sa.select(_table.c.hits).where(
                _table.c.key == key, _table.c.expires_at > sa.func.now()))
        return hits or 0

    def get_expiry(self, key: str) -> float:
        with self._engine().connect() as connection:
            expires = connection.scalar(sa.select(_table.c.expires_at).where(_table.c.key == key))
        return expires.timestamp() if expires else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as connection:
                connection.execute(sa.select(1))
            return True
        except Exception:  # the limiter only asks whether the storage answers
            return False

    def reset(self) -> int | None:
        with self._engine().begin() as connection:
            return connection.execute(sa.delete(_table)).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as connection:
            connection.execute(sa.delete(_table).where(_table.c.key == key))
