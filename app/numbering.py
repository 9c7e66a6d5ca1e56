"""Gap-free document numbers per tenant (customer codes, quotes, invoices).

One row per counter in the tenant's `counters` table, advanced with
UPDATE … RETURNING inside the caller's transaction: concurrent creators queue
on the row lock, and a rolled-back creation gives its number back.
"""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_base import TenantModel
from app.extensions import db


class Counter(TenantModel):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def next_number(name: str) -> int:
    return reserve_numbers(name, 1)[0]


def reserve_numbers(name: str, count: int) -> range:
    """`count` consecutive numbers in one statement (an import numbers 100,000 rows at once)."""
    statement = (
        sa.dialects.postgresql.insert(Counter)
        .values(name=name, value=count)
        .on_conflict_do_update(index_elements=["name"], set_={"value": Counter.value + count})
        .returning(Counter.value)
    )
    last = db.session.execute(statement).scalar_one()
    return range(last - count + 1, last + 1)


def advance_to(name: str, value: int) -> None:
    """Move the counter up to `value` if it is behind (codes up to it are already in use),
    so the next number is past them; never moves it back."""
    statement = (
        sa.dialects.postgresql.insert(Counter)
        .values(name=name, value=value)
        .on_conflict_do_update(index_elements=["name"],
                               set_={"value": sa.func.greatest(Counter.value, value)})
    )
    db.session.execute(statement)
