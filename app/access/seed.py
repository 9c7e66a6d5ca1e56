"""The roles every new tenant starts with."""
import sqlalchemy as sa

from app.access.models import ACTIONS, MODULES, Role

ALL = list(ACTIONS)
WORK = ["view", "create", "edit"]
# Everyone plans their own work: a task is created, done and deleted by whoever it belongs to.
OWN_TASKS = ["view", "create", "edit", "delete"]
CRM = [m for m in MODULES if m not in ("admin", "margins")]

SEEDED_ROLES = [
    # key, English name, visibility, permissions
    ("owner", "Owner", "all", {"*": ["admin"], **{m: ALL for m in MODULES}}),
    ("admin", "Administrator", "all", {m: ALL for m in MODULES}),
    ("sales_manager", "Sales manager", "unit_tree", {
        "customers": ALL[:5], "contacts": ALL[:5], "sales": ALL[:5], "reports": ["view", "export"],
        "calls": WORK, "service": ["view"], "products": ALL[:5], "margins": ["view"],
        "tasks": ALL[:5]}),
    ("sales_rep", "Sales rep", "own", {
        "customers": WORK, "contacts": WORK, "sales": WORK, "calls": WORK, "service": ["view"],
        "products": ["view"], "tasks": OWN_TASKS}),
    ("service_agent", "Service agent", "unit", {
        "customers": ["view"], "contacts": ["view", "edit"], "service": WORK, "calls": WORK,
        "products": ["view"], "tasks": OWN_TASKS}),
    ("call_center_agent", "Call-center agent", "all", {
        "customers": ["view", "create"], "contacts": ["view", "create"], "calls": WORK,
        "service": ["view", "create"], "products": ["view"], "tasks": OWN_TASKS}),
    ("read_only", "Read-only", "all", {m: ["view"] for m in CRM}),
]


def seed_roles(session) -> None:
    session.execute(
        sa.insert(Role),
        [
            {"key": key, "name": name, "visibility": visibility, "permissions": permissions,
             "is_system": True}
            for key, name, visibility, permissions in SEEDED_ROLES
        ],
    )
