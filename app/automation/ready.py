"""Ready-made rules: offered as templates on the rules page, and created in the demo."""
from flask_babel import gettext as _, lazy_gettext as _l

READY = {
    "lead_round_robin": _l("A new lead goes to the next sales rep of a unit, in turn"),
    "stale_deal": _l("A deal without activity for 14 days reminds its owner"),
}


def form_data(key: str, unit_id: int | None = None) -> dict:
    """What the rule form starts with for a ready-made rule (the admin reviews and saves)."""
    if key == "lead_round_robin":
        return {"name": _("New lead: assign in turn"), "record_type": "customer",
                "trigger": "created", "conditions": "type = prospect", "assign_on": True,
                "assign_unit": str(unit_id or ""), "notify_on": False}
    if key == "stale_deal":
        return {"name": _("Stale deal: remind the owner"), "record_type": "opportunity",
                "trigger": "inactive", "days": 14, "conditions": "closed_on empty",
                "task_on": True, "task_title": _("Follow up on {{ record.name }}"),
                "task_assignee": "owner", "task_due_days": 1, "notify_on": True,
                "notify_to": "owner",
                "notify_message": _("No activity for 14 days: time to follow up.")}
    raise KeyError(key)


def rule_columns(key: str, unit_id: int | None = None) -> dict:
    """The same rule as stored columns (the demo creates it without a form)."""
    data = form_data(key, unit_id)
    if key == "lead_round_robin":
        actions = [{"type": "assign", "unit_id": unit_id}]
    else:
        actions = [{"type": "task", "title": data["task_title"], "assignee": "owner",
                    "due_days": 1},
                   {"type": "notify", "to": "owner", "message": data["notify_message"]}]
    field, op, value = data["conditions"].split(" ", 2) if " = " in data["conditions"] else (
        *data["conditions"].split(" ", 1), "")
    return {"name": data["name"], "active": True, "record_type": data["record_type"],
            "trigger": data["trigger"], "days": data.get("days"),
            "conditions": [{"field": field, "op": op, "value": value}], "actions": actions}
