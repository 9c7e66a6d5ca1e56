"""Who this transaction has already told about which record.

One change, one notification: the quote's owner told "your quote was approved" is not
also told "new activity on your quote" by the timeline entry of the same change.
Followers' notifications ("followed") are therefore sent last, when the transaction
commits (app.timeline.following), to those this transaction did not tell otherwise.
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

_TOLD = "kehu_told_about"


def remember(session, subject: tuple[str, int], user_ids) -> None:
    told = session.info.setdefault(_TOLD, {})
    told.setdefault((subject[0], int(subject[1])), set()).update(
        int(user_id) for user_id in user_ids if user_id is not None)


def told_about(session, subject: tuple[str, int]) -> set[int]:
    return set(session.info.get(_TOLD, {}).get((subject[0], int(subject[1])), ()))


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session):
    session.info.pop(_TOLD, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_TOLD, None)
