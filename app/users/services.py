"""What an admin does to an existing user. Flush, never commit."""
import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l

from app.access.ownership import reassign_records
from app.access.roles import RoleError, guarded
from app.auth.models import User
from app.auth.services import send_reset_mail
from app.extensions import db
from app.org.models import Unit
from app.users.seats import check_seat


class UserAdminError(ValueError):
    """A change to a user that is refused; the message is for the user."""


def deactivate(user: User, actor: User) -> None:
    """Switch the account off (kept with its history); every session of it ends at once."""
    if user.id == actor.id:
        raise UserAdminError(_l("You cannot deactivate your own account."))

    def change():
        user.active = False
        user.session_version += 1

    try:
        guarded(change)
    except RoleError as error:
        raise UserAdminError(str(error)) from error


def reactivate(user: User) -> None:
    """Switch the account back on; billing.limits.LimitReached when no seat is left."""
    check_seat()
    user.active = True
    db.session.flush()


def reassign(from_user: User, to_user: User) -> dict[str, int]:
    """Hand every record owned by from_user to to_user (an active user)."""
    if to_user.id == from_user.id or not to_user.active:
        raise UserAdminError(_l("Choose another, active user to receive the records."))
    return reassign_records(from_user.id, to_user.id)


def send_password_reset(user: User) -> None:
    """Mail the user a link to choose a new password."""
    if not user.active:
        raise UserAdminError(_l("Reactivate the user before resetting the password."))
    send_reset_mail(user, _("Reset your password"))


def set_unit(user: User, unit_id: int | None) -> None:
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise UserAdminError(_l("The chosen unit does not exist."))
    user.unit_id = unit_id
    db.session.flush()


def users_in_order() -> list[User]:
    return db.session.scalars(sa.select(User).order_by(User.active.desc(), User.name)).all()
