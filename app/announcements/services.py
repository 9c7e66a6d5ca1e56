"""Posting announcements and finding those a reader has not dismissed. Flush, never commit."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.announcements.models import Announcement, AnnouncementRead
from app.auth.models import User
from app.extensions import db
from app.i18n import N_
from app.notifications import notify
from app.org.models import Unit
from app.org.tree import subtree_ids


class AnnouncementError(ValueError):
    """Input the form shows again; the message is for the user."""


def _check(title: str, body: str, unit_id: int | None) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200:
        raise AnnouncementError(_l("Give the announcement a title of at most 200 characters."))
    if not body:
        raise AnnouncementError(_l("Write what you want to announce."))
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise AnnouncementError(_l("The chosen unit does not exist."))
    return title, body


def audience_ids(unit_id: int | None) -> list[int]:
    """The active users an announcement reaches: everyone, or the unit and its sub-units."""
    stmt = sa.select(User.id).where(User.active)
    if unit_id is not None:
        stmt = stmt.where(User.unit_id.in_(subtree_ids(unit_id)))
    return list(db.session.scalars(stmt))


def post(title: str, body: str, unit_id: int | None, author_id: int) -> Announcement:
    title, body = _check(title, body, unit_id)
    announcement = Announcement(title=title, body=body, unit_id=unit_id, author_id=author_id)
    db.session.add(announcement)
    db.session.flush()
    notify(audience_ids(unit_id), "announcement", N_("New announcement: %(title)s"),
           {"title": title}, actor_id=author_id)
    return announcement


def edit(announcement: Announcement, title: str, body: str, unit_id: int | None) -> None:
    announcement.title, announcement.body = _check(title, body, unit_id)
    announcement.unit_id, announcement.updated_at = unit_id, sa.func.now()
    db.session.flush()


def remove(announcement: Announcement) -> None:
    db.session.delete(announcement)
    db.session.flush()


def _reaches(user):
    """The condition "this announcement is meant for user": for everyone, or for a unit
    that is the user's own or above it."""
    if user.unit_id is None:
        return Announcement.unit_id.is_(None)
    chain = (sa.select(Unit.id, Unit.parent_id).where(Unit.id == user.unit_id)
             .cte("reader_units", recursive=True))
    chain = chain.union_all(sa.select(Unit.id, Unit.parent_id).join(chain, Unit.id == chain.c.parent_id))
    return sa.or_(Announcement.unit_id.is_(None), Announcement.unit_id.in_(sa.select(chain.c.id)))


def unread_for(user, limit: int = 5) -> list[Announcement]:
    """The newest announcements meant for user that they have not dismissed (one query)."""
    dismissed = sa.select(AnnouncementRead.announcement_id).where(
        AnnouncementRead.user_id == user.id, AnnouncementRead.announcement_id == Announcement.id)
    return list(db.session.scalars(sa.select(Announcement).where(
        _reaches(user), ~dismissed.exists()).order_by(Announcement.id.desc()).limit(limit)))


def meant_for(user, announcement_id: int) -> Announcement | None:
    return db.session.scalar(sa.select(Announcement).where(
        Announcement.id == announcement_id, _reaches(user)))


def dismiss(user, announcement: Announcement) -> None:
    """Read: it leaves the user's "My day". Twice is the same as once."""
    from sqlalchemy.dialects.postgresql import insert

    db.session.execute(insert(AnnouncementRead).values(
        announcement_id=announcement.id, user_id=user.id).on_conflict_do_nothing())
