"""Money arithmetic for the sales modules: Decimal only, rounded explicitly.

Every stored amount is rounded to 2 places with ROUND_HALF_UP (the rounding
Chinese invoices and most accounting packages use: 0.005 → 0.01), once per
quote line and once per total, never on intermediate products. Floats never
touch money: a float reaching these helpers is refused.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def to_decimal(value) -> Decimal:
    """A Decimal from a Decimal, an int or a string; floats are refused (they are inexact)."""
    if isinstance(value, float):
        raise TypeError("money must never be a float")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}")


def round_money(value: Decimal) -> Decimal:
    """Two places, half up (2.345 → 2.35, -2.345 → -2.35)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """amount × percent / 100, unrounded."""
    return to_decimal(amount) * to_decimal(percent) / HUNDRED
