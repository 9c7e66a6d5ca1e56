"""Quote arithmetic, in Decimal with explicit rounding (see docs/SALES.md, "How totals are computed").

Prices exclude tax. Per line:
    net  = round(quantity × unit price × (1 − line discount %), 2)
Per quote:
    subtotal        = Σ line nets
    discount amount = round(subtotal × total discount %, 2)
    tax             = Σ round(line net × (1 − total discount %) × line tax rate %, 2)
    total           = subtotal − discount amount + tax
Rounding is ROUND_HALF_UP to 2 places, applied exactly where shown and nowhere else.
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.sales.money import HUNDRED, percent_of, round_money, to_decimal

ZERO = Decimal("0")


class PricingError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = ZERO
    tax_rate: Decimal = ZERO


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineAmounts, ...]
    gross: Decimal
    subtotal: Decimal
    discount_amount: Decimal
    tax: Decimal
    total: Decimal

    @property
    def effective_discount_percent(self) -> Decimal:
        """Line and total discounts together, as a share of the undiscounted amount."""
        if self.gross == ZERO:
            return ZERO
        given = self.gross - (self.subtotal - self.discount_amount)
        return round_money(given / self.gross * HUNDRED)


def check_percent(value: Decimal, field: str) -> Decimal:
    value = to_decimal(value)
    if value < ZERO or value > HUNDRED:
        raise PricingError(field, _l("A discount is between 0 and 100%."))
    return value


def check_line(line: LineInput) -> None:
    if to_decimal(line.quantity) <= ZERO:
        raise PricingError("quantity", _l("The quantity must be more than zero."))
    if to_decimal(line.unit_price) < ZERO:
        raise PricingError("unit_price", _l("A price cannot be negative."))
    check_percent(line.discount_percent, "discount_percent")


def line_net(line: LineInput) -> Decimal:
    factor = HUNDRED - to_decimal(line.discount_percent)
    return round_money(to_decimal(line.quantity) * to_decimal(line.unit_price) * factor / HUNDRED)


def compute(lines: list[LineInput], discount_percent: Decimal = ZERO) -> Totals:
    """Every amount of a quote from its lines and its total discount."""
    discount_percent = check_percent(discount_percent, "discount_percent")
    remaining = HUNDRED - discount_percent
    amounts = []
    for line in lines:
        check_line(line)
        net = line_net(line)
        tax = round_money(net * remaining / HUNDRED * to_decimal(line.tax_rate) / HUNDRED)
        gross = round_money(to_decimal(line.quantity) * to_decimal(line.unit_price))
        amounts.append(LineAmounts(gross, net, tax))
    subtotal = sum((a.net for a in amounts), ZERO)
    discount_amount = round_money(percent_of(subtotal, discount_percent))
    tax = sum((a.tax for a in amounts), ZERO)
    return Totals(tuple(amounts), sum((a.gross for a in amounts), ZERO), subtotal,
                  discount_amount, tax, subtotal - discount_amount + tax)
