"""Labels, choices and settable fields of the built-in record types' columns.

A type without hints still works: its fields are named by their keys and none is settable.
"""
from flask_babel import lazy_gettext as _l

LABELS = {
    "name": _l("Name"), "code": _l("Code"), "short_name": _l("Short name"), "kind": _l("Kind"),
    "type": _l("Type"), "industry": _l("Industry"), "source": _l("Source"), "tier": _l("Tier"),
    "region": _l("Region"), "unit_id": _l("Department or store"), "owner_id": _l("Owner"),
    "phone": _l("Phone"), "mobile": _l("Mobile"), "email": _l("E-mail"), "currency": _l("Currency"),
    "credit_limit": _l("Credit limit"), "credit_rating": _l("Credit rating"),
    "sales_volume": _l("Sales volume"), "payment_terms": _l("Payment terms"),
    "created_at": _l("Created"), "updated_at": _l("Last changed"), "title": _l("Title"),
    "department": _l("Department"), "decision_role": _l("Role in decisions"),
    "birthday": _l("Birthday"), "customer_id": _l("Customer"), "contact_id": _l("Contact"),
    "amount": _l("Amount"), "expected_close": _l("Expected close date"), "stage_id": _l("Stage"),
    "probability": _l("Probability"), "next_step": _l("Next step"), "closed_on": _l("Closed on"),
    "status": _l("Status"), "total": _l("Total"), "valid_until": _l("Valid until"),
    "number": _l("Number"), "ordered_at": _l("Order date"), "due_date": _l("Due date"),
    "due_at": _l("Due time"), "priority": _l("Priority"), "done_at": _l("Done"),
    "notes": _l("Notes"), "opportunity_id": _l("Opportunity"),
}

# The fields the "set a field" action may write, per record type: plain descriptive
# fields only, never money, links to other records, ownership (the assign action) or state
# that a workflow guards (quote status, stages with their history).
SAFE_FIELDS = {
    "customer": ("type", "tier", "region", "industry", "source", "credit_rating"),
    "contact": ("department", "decision_role", "title"),
    "opportunity": ("next_step", "source"),
    "quote": (),
    "order": (),
    "task": ("priority",),
}


def label(key: str):
    return LABELS.get(key, key.replace("_", " "))


def choices(type_key: str, column_key: str) -> tuple:
    found = _choices().get((type_key, column_key))
    return tuple(found) if found else ()


def _choices() -> dict:
    # Read from the modules that own the values, so a new customer type shows up here.
    from app.customers.forms import TYPE_LABELS
    from app.customers.models import TIERS
    from app.quotes.models import STATUSES

    return {
        ("customer", "type"): TYPE_LABELS.items(),
        ("customer", "tier"): ((t, t) for t in TIERS),
        ("quote", "status"): ((s, s) for s in STATUSES),
        ("task", "priority"): (("low", _l("Low")), ("normal", _l("Normal")), ("high", _l("High"))),
    }
