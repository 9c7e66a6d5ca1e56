"""Comments with @mentions on any record (any app.records type).

A comment is a timeline entry of kind "comment" on its record, so it shows in the
record's activity and in its customer's 360. A mention is the token the autocomplete
inserts, `@[Name](user:12)`. A mention must name an active user who may see the record:
anything else is refused with a message and nothing is saved, so a mention never
reveals a record to someone who cannot see it, and nobody is "mentioned" in vain.
"""
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.access.permissions import can
from app.extensions import db
from app.i18n import N_
from app.records import record_title, record_type
from app.timeline.following import follow, may_see, tell_followers
from app.timeline.models import CommentMention, TimelineEntry
from app.timeline.services import add_entry

MAX_LENGTH = 10_000
MENTION = re.compile(r"@\[([^\]\n]{1,120})\]\(user:(\d{1,12})\)")


class CommentError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def mention_token(user) -> str:
    name = " ".join(user.name.replace("]", " ").replace("[", " ").split()) or user.email
    return f"@[{name[:120]}](user:{user.id})"


def _mentioned_users(body: str, subject: tuple[str, int]) -> list:
    from app.auth.models import User

    users = []
    for user_id in dict.fromkeys(int(match.group(2)) for match in MENTION.finditer(body)):
        user = db.session.get(User, user_id)
        if user is None:
            raise CommentError(_l("A mentioned user does not exist. Pick people from the list "
                                  "that opens when you type @."))
        if not user.active:
            raise CommentError(_l("%(name)s is deactivated and cannot be mentioned.",
                                  name=user.name))
        if not may_see(user, *subject):
            raise CommentError(_l("%(name)s cannot see this record, so they cannot be "
                                  "mentioned here.", name=user.name))
        users.append(user)
    return users


def _clean(body: str | None, subject) -> tuple[str, list]:
    body = (body or "").strip()
    if not body:
        raise CommentError(_l("Write a comment first."))
    if len(body) > MAX_LENGTH:
        raise CommentError(_l("A comment can be at most %(max)s characters (this one has "
                              "%(count)s).", max=f"{MAX_LENGTH:,}", count=f"{len(body):,}"))
    users = _mentioned_users(body, subject)
    by_id = {user.id: user for user in users}
    # Each token carries the mentioned user's real name, whatever was typed in it.
    body = MENTION.sub(lambda m: mention_token(by_id[int(m.group(2))]), body)
    return body, users


def plain_text(body: str) -> str:
    return MENTION.sub(lambda m: "@" + m.group(1), body)


def _summary(body: str) -> str:
    return " ".join(plain_text(body).split())[:200]


def _tell_mentioned(entry, users, actor) -> list[int]:
    """notify(..., "mentioned") the users not yet mentioned in this comment (not the author)."""
    from app.notifications import notify

    known = set(db.session.scalars(sa.select(CommentMention.user_id).where(
        CommentMention.entry_id == entry.id)))
    new = [user.id for user in users if user.id not in known]
    for user_id in new:
        db.session.add(CommentMention(entry_id=entry.id, user_id=user_id))
    told = [user_id for user_id in new if user_id != actor.id]
    if told:
        key, record_id = entry.subject_type, entry.subject_id
        record = db.session.get(record_type(key).model, record_id)
        notify(told, "mentioned", N_("%(actor)s mentioned you on %(record)s"),
               {"actor": actor.name, "record": record_title(key, record)},
               subject=(key, record_id), actor_id=actor.id)
    db.session.flush()
    return told


def add_comment(subject: tuple[str, int], body: str | None, author) -> TimelineEntry:
    """The record must be one the author may see (the view loads it with find_record)."""
    body, users = _clean(body, subject)
    entry = add_entry(kind="comment", title=_summary(body), body=body, user_id=author.id,
                      subject=subject, quiet=True)
    follow(*subject, author.id)
    told = _tell_mentioned(entry, users, author)
    tell_followers(entry, skip=told)
    return entry


def edit_comment(entry: TimelineEntry, body: str | None, editor) -> TimelineEntry:
    """Only its author edits a comment; users newly mentioned are told, the others not again."""
    if entry.kind != "comment" or entry.user_id != editor.id:
        raise CommentError(_l("You can only edit your own comments."))
    body, users = _clean(body, (entry.subject_type, entry.subject_id))
    entry.body, entry.title, entry.edited_at = body, _summary(body), sa.func.now()
    _tell_mentioned(entry, users, editor)
    db.session.flush()
    return entry


def may_delete(entry: TimelineEntry, user) -> bool:
    return entry.kind == "comment" and (entry.user_id == user.id or can(user, "admin", "admin"))


def delete_comment(entry: TimelineEntry, user) -> None:
    """Its author, or an admin, deletes a comment; it leaves the activity everywhere."""
    if not may_delete(entry, user):
        raise CommentError(_l("You can only delete your own comments."))
    db.session.delete(entry)
    db.session.flush()


def comment_html(body: str | None) -> Markup:
    """The comment as safe HTML: everything escaped, mentions highlighted."""
    escaped = str(escape(body or ""))
    return Markup(MENTION.sub(lambda m: f'<span class="mention">@{m.group(1)}</span>', escaped))


def mentionable(subject: tuple[str, int], query: str, limit: int = 8) -> list:
    """Active users whose name or e-mail starts a word with `query` and who may see the record:
    the autocomplete's choices (never someone who cannot see it)."""
    from app.auth.models import User

    query = (query or "").strip()[:60]
    stmt = sa.select(User).where(User.active).order_by(User.name, User.id)
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(User.name.ilike(pattern), User.email.ilike(pattern)))
    found = []
    # Checked one by one (visibility is per user); a page of candidates is enough.
    for user in db.session.scalars(stmt.limit(200)):
        if may_see(user, *subject):
            found.append(user)
            if len(found) == limit:
                break
    return found
