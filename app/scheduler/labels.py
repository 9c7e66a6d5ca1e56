"""What the job pages call a handler or a queued job (its code name when it has no label)."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "customers.tiers": _l("Customer tiers and sales volumes"),
    "quotes.expire": _l("Expire quotes past their validity"),
    "billing.daily_run": _l("Billing run"),
    "scheduler.prune": _l("Clean up the job log"),
    "app.mail.send": _l("Send an e-mail"),
    "app.imports.services.run_import_job": _l("Import"),
    "app.export.builder.build_export": _l("Data export"),
    "tenants.provisioning.refill_pool": _l("Prepare new workspaces"),
}


def register_label(name: str, label) -> None:
    """A module names its handler or job for the pages: register_label("tasks.reminders", _l("…"))."""
    LABELS[name] = label


def job_label(name: str) -> str:
    return str(LABELS.get(name, name))
