"""can() and Role.allows(): who holds a permission, and who never does."""
import pytest
from flask_login import AnonymousUserMixin

from app.access.models import ACTIONS, MODULES, Role
from app.access.permissions import can
from app.access.seed import SEEDED_ROLES
from app.auth.models import User

EVERY = [(module, action) for module in MODULES for action in ACTIONS]


def role(permissions, visibility="all") -> Role:
    return Role(key="probe", name="probe", permissions=permissions, visibility=visibility)


def user(permissions, **fields) -> User:
    return User(email="probe@example.com", name="Probe", role=role(permissions), active=True, **fields)


@pytest.mark.parametrize("module, action", EVERY)
def test_an_owner_role_holds_every_permission_through_its_wildcard_alone(module, action):
    assert role({"*": ["admin"]}).allows(module, action)
    assert can(user({"*": ["admin"]}), module, action)


def test_a_wildcard_without_admin_is_not_an_owner():
    viewer = role({"*": ["view"], "customers": ["view"]})
    assert not viewer.is_owner
    assert not viewer.allows("customers", "delete") and not viewer.allows("admin", "admin")


def test_a_role_holds_exactly_the_actions_it_lists():
    rep = role({"customers": ["view", "edit"]})
    assert [(m, a) for m, a in EVERY if rep.allows(m, a)] == [("customers", "view"), ("customers", "edit")]


@pytest.mark.parametrize("key, permissions", [(key, perms) for key, _n, _v, perms in SEEDED_ROLES])
def test_an_inactive_user_holds_no_permission_whatever_the_role(key, permissions):
    gone = user(permissions)
    granted = [(m, a) for m, a in EVERY if can(gone, m, a)]
    assert granted  # the active user holds these ...
    gone.active = False
    assert [(m, a) for m, a in EVERY if can(gone, m, a)] == []  # ... the deactivated one none


def test_nobody_logged_in_holds_any_permission():
    anonymous = AnonymousUserMixin()
    anonymous.active = True  # even claiming to be active
    anonymous.role = role({"*": ["admin"]})
    assert [(m, a) for m, a in EVERY if can(anonymous, m, a)] == []
    assert [(m, a) for m, a in EVERY if can(None, m, a)] == []


def test_each_decorator_declares_what_the_permission_matrix_reads():
    from app.access.permissions import declared_permission, public, requires, signed_in

    def view():
        return "ok"

    assert declared_permission(view) is None
    assert declared_permission(requires("customers", "edit")(lambda: "ok")) == ("customers", "edit")
    assert declared_permission(signed_in(lambda: "ok")) == "signed_in"
    assert declared_permission(public(lambda: "ok")) == "public"


def test_requires_refuses_a_role_without_the_action_and_lets_one_with_it_through(app, monkeypatch):
    """The check inside the log-in requirement (Flask-Login's own part is its business)."""
    from werkzeug.exceptions import Forbidden

    from app.access import permissions

    checked = permissions.requires("customers", "delete")(lambda: "deleted").__wrapped__
    with app.test_request_context():
        monkeypatch.setattr(permissions, "current_user", user({"customers": ["view", "edit"]}))
        with pytest.raises(Forbidden):
            checked()
        monkeypatch.setattr(permissions, "current_user", user({"customers": ["delete"]}))
        assert checked() == "deleted"
