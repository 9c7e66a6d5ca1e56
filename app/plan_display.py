"""Plan limits in words, for the pricing page and the billing page (the same words on both)."""
from flask_babel import format_decimal, gettext as _


def limit_text(value: int | None) -> str:
    """A limit as the user reads it: 1,000 or "unlimited" (None)."""
    return _("unlimited") if value is None else format_decimal(value)


def storage_text(megabytes: int | None) -> str:
    return _("unlimited") if megabytes is None else _("%(n)s MB", n=format_decimal(megabytes))


def plan_limits(plan) -> str:
    """Every limit of a plan in one phrase: "3 users, 1,000 customer and contact records, 500 MB of files"."""
    return _("%(users)s users, %(records)s customer and contact records, %(storage)s of files",
             users=limit_text(plan.seat_limit), records=limit_text(plan.record_limit),
             storage=storage_text(plan.storage_limit_mb))
