"""Select-field choices of the administration forms, read from the tenant's data."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access.labels import role_display_name
from app.access.models import Role
from app.access.roles import assignable_roles
from app.admin.forms import NONE
from app.auth.models import User
from app.extensions import db
from app.org.services import unit_choices
from app.selects import select_choices


def role_label(role: Role) -> str:
    return str(role_display_name(role))


def roles_for(actor: User):
    return select_choices((role.id, role_label(role)) for role in assignable_roles(actor))


def units_or_none():
    return select_choices([(NONE, str(_l("(none)")))] + unit_choices())


def active_users_or_none(exclude: int | None = None):
    users = db.session.scalars(
        sa.select(User).where(User.active, User.id != (exclude or 0)).order_by(User.name)).all()
    return select_choices([(NONE, str(_l("(none)")))] + [(u.id, f"{u.name} <{u.email}>") for u in users])
