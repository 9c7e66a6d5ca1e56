"""The plan features this application has built, and the workspace modules each one gates.

Billing knows no CRM module (billing/features.py): this list tells it what is built.
The pricing page lists only these, so a module that lands adds its line here (its
feature key as in the plans' `features`, its label, its blueprints) and is gated
from the first day; a single route elsewhere uses @requires_feature(key).
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from billing.features import gate_blueprints, gate_request, register_feature

BUILT = [
    # feature key, label, the workspace blueprints it gates
    ("customers", _l("Customer files"), ("customers",)),
    ("contacts", _l("Contacts"), ("contacts",)),
    ("pipeline", _l("Sales pipeline"),
     ("products", "opportunities", "quotes", "orders", "forecast", "competitors")),
    ("approvals", _l("Approval workflows"), ("approvals",)),
    ("tasks", _l("Tasks and calendar"), ("calendar",)),
]


def register(workspace: Blueprint) -> None:
    """Declare the built features and gate their blueprints (call before registering workspace)."""
    for key, label, blueprints in BUILT:
        register_feature(key, label)
        gate_blueprints(key, *(f"{workspace.name}.{name}" for name in blueprints))
    workspace.before_request(gate_request)
