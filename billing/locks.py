"""The subscription row lock: money-moving work on one subscription happens one at a time.

A webhook event, a "pay" click and the daily run each lock the subscription's row
(`SELECT … FOR UPDATE`) before they read what they will change; a second one waits
for the first's commit and then reads its result (READ COMMITTED: each statement
sees what was committed before it), so neither a twin invoice nor a lost update
can come out of two of them at once. The lock ends with the transaction.
"""
import sqlalchemy as sa

from app.extensions import db
from billing.models import Subscription


def locked(condition) -> Subscription | None:
    """The subscription matching `condition`, locked, its attributes freshly read."""
    return db.session.scalars(
        sa.select(Subscription).where(condition).with_for_update(of=Subscription)
        .execution_options(populate_existing=True)
    ).first()


def lock(subscription: Subscription) -> Subscription:
    """Lock a subscription already loaded and re-read it (another transaction may have changed it)."""
    return locked(Subscription.id == subscription.id)
