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
    statement = (
        sa.dialects.postgresql.insert(Counter)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=["name"], set_={"value": Counter.value + 1})
        .returning(Counter.value)
    )
    return db.session.execute(statement).scalar_one()
