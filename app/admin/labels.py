"""Translatable names of the codes shown on the administration pages."""
from flask_babel import lazy_gettext as _l

KIND_NAMES = {"head_office": _l("Head office"), "region": _l("Region"),
              "department": _l("Department"), "store": _l("Store")}
VISIBILITY_NAMES = {"own": _l("Own records"), "unit": _l("Own unit's records"),
                    "unit_tree": _l("Own unit and the units below it"), "all": _l("All records")}
MODULE_NAMES = {"customers": _l("Customers"), "contacts": _l("Contacts"), "sales": _l("Sales"),
                "products": _l("Products and prices"), "margins": _l("Costs and margins"),
                "service": _l("Service"), "calls": _l("Call center"), "reports": _l("Reports"),
                "tasks": _l("Tasks"), "admin": _l("Administration")}
ACTION_NAMES = {"view": _l("View"), "create": _l("Create"), "edit": _l("Edit"),
                "delete": _l("Delete"), "export": _l("Export"), "admin": _l("Administer")}
LOGIN_REASONS = {"ok": _l("Logged in"), "wrong_password": _l("Wrong password"),
                 "unknown_user": _l("Unknown e-mail"), "inactive": _l("Deactivated user"),
                 "locked": _l("Account locked"), "wrong_code": _l("Wrong two-step code"),
                 "throttled": _l("Too many failures: asked to wait")}


def labels() -> dict:
    """Template helpers: kind_name(code), visibility_name(code), ..."""
    def lookup(table):
        return lambda code: table.get(code, code)

    return {"kind_name": lookup(KIND_NAMES), "visibility_name": lookup(VISIBILITY_NAMES),
            "module_name": lookup(MODULE_NAMES), "action_name": lookup(ACTION_NAMES),
            "login_reason": lookup(LOGIN_REASONS)}
