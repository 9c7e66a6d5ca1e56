"""Copying and editing roles, giving users roles, and the rule that an owner remains.

An owner is an active user whose role carries {"*": ["admin"]}. Every change
that could remove the last one runs in a savepoint, is checked after the
flush, and is undone whole when refused. Flush, never commit.
"""
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access.models import ACTIONS, MODULES, VISIBILITIES, Role
from app.auth.models import User
from app.extensions import db


class RoleError(ValueError):
    """A role change that is refused; the message is for the user."""


NO_OWNER = _l("This change would leave the workspace without an active owner. "
              "Give another active user an owner role first.")


def active_owner_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User).join(Role, User.role_id == Role.id)
        .where(User.active, Role.permissions["*"].contains(["admin"]))
    )


def guarded(change) -> None:
    """Run change() in a savepoint; undo it and raise RoleError if no active owner is left."""
    savepoint = db.session.begin_nested()
    try:
        change()
        db.session.flush()
        if active_owner_count() == 0:
            raise RoleError(NO_OWNER)
    except Exception:
        savepoint.rollback()
        raise
    savepoint.commit()


def clean_permissions(granted: set[tuple[str, str]], keep_owner: bool) -> dict:
    """The permissions JSON of a role from (module, action) pairs; unknown pairs are dropped."""
    permissions = {module: [a for a in ACTIONS if (module, a) in granted] for module in MODULES}
    permissions = {module: actions for module, actions in permissions.items() if actions}
    if keep_owner:
        permissions["*"] = ["admin"]
    return permissions


def copy_role(source: Role, name: str) -> Role:
    """A new, editable role with source's permissions and visibility."""
    role = Role(key=f"custom_{secrets.token_hex(6)}", name=name.strip(),
                permissions=dict(source.permissions), visibility=source.visibility,
                is_system=False)
    db.session.add(role)
    db.session.flush()
    return role


def update_role(role: Role, name: str, visibility: str, granted: set[tuple[str, str]],
                owner: bool) -> None:
    """Rename a role and set what it grants; refused if no active owner would remain."""
    if visibility not in VISIBILITIES:
        raise RoleError(_l("Choose a record visibility."))

    def change():
        role.name = name.strip()
        role.visibility = visibility
        role.permissions = clean_permissions(granted, owner)

    guarded(change)


def change_user_role(user: User, role: Role) -> None:
    """Give user another role; refused if no active owner would remain."""

    def change():
        user.role_id = role.id
        user.role = role

    guarded(change)


def may_change(actor: User, owner_role: bool) -> bool:
    """The owner-change rule, the one place it is written: owner roles (making one, changing
    one, handing one out) and the users holding them are changed only by an owner."""
    return actor.role.is_owner or not owner_role


def assignable_roles(actor: User) -> list[Role]:
    """Roles actor may hand out."""
    roles = db.session.scalars(sa.select(Role).order_by(Role.id)).all()
    return [role for role in roles if may_change(actor, role.is_owner)]
