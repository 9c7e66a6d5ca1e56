"""Billing periods: one month or one year on from a start, and the unused share of one."""
import calendar
from datetime import datetime
from decimal import Decimal

CENT = Decimal("0.01")


def add_period(start: datetime, interval: str) -> datetime:
    """Same day next month (clamped to the month's end) or next year."""
    if interval == "year":
        day = min(start.day, calendar.monthrange(start.year + 1, start.month)[1])
        return start.replace(year=start.year + 1, day=day)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def unused_share(start: datetime, end: datetime, at: datetime) -> Decimal:
    """The part of [start, end) still ahead at `at`, between 0 and 1, as a Decimal."""
    total = Decimal(int((end - start).total_seconds()))
    left = Decimal(max(0, int((end - max(at, start)).total_seconds())))
    return min(Decimal(1), left / total) if total > 0 else Decimal(0)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding="ROUND_HALF_UP")
