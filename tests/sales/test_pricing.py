"""Quote totals and rounding: Decimal only, ROUND_HALF_UP to 2 places where documented."""
from decimal import Decimal as D

import pytest

from app.quotes.pricing import LineInput, PricingError, compute, line_net
from app.sales.money import round_money, to_decimal


@pytest.mark.parametrize("quantity, price, discount, expected", [
    ("1", "10.00", "0", "10.00"),
    ("3", "0.335", "0", "1.01"),        # 1.005 → 1.01 (half up, not banker's 1.00)
    ("1", "2.345", "0", "2.35"),
    ("2.5", "19.99", "0", "49.98"),     # 49.975 → 49.98
    ("7", "3.33", "10", "20.98"),       # 20.979 → 20.98
    ("1", "0.05", "50", "0.03"),        # 0.025 → 0.03
    ("1", "99.99", "100", "0.00"),
    ("0.001", "1.00", "0", "0.00"),
])
def test_line_net_is_rounded_half_up_once(quantity, price, discount, expected):
    net = line_net(LineInput(D(quantity), D(price), D(discount)))
    assert net == D(expected) and isinstance(net, D)


def test_quote_totals_apply_total_discount_then_tax_per_line():
    totals = compute([
        LineInput(D("3"), D("333.33"), D("5"), D("13")),   # 999.99 × .95 = 949.9905 → 949.99
        LineInput(D("2"), D("10.005"), D("0"), D("6")),    # 20.01
    ], D("2.5"))
    assert [line.net for line in totals.lines] == [D("949.99"), D("20.01")]
    assert totals.subtotal == D("970.00")
    assert totals.discount_amount == D("24.25")           # 24.25 exactly
    # tax per line on the net after the total discount: 949.99 × .975 × .13 = 120.4112…,
    # 20.01 × .975 × .06 = 1.1705…
    assert [line.tax for line in totals.lines] == [D("120.41"), D("1.17")]
    assert totals.tax == D("121.58")
    assert totals.total == D("1067.33")                    # 970.00 − 24.25 + 121.58
    # 999.99 + 20.01 = 1020.00 undiscounted; 1020.00 − 945.75 given away
    assert totals.effective_discount_percent == D("7.28")


def test_floats_never_become_money():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    with pytest.raises(TypeError):
        round_money(1.005)


@pytest.mark.parametrize("line, discount, field", [
    (LineInput(D("-1"), D("10")), D("0"), "quantity"),
    (LineInput(D("0"), D("10")), D("0"), "quantity"),
    (LineInput(D("1"), D("-10")), D("0"), "unit_price"),
    (LineInput(D("1"), D("10"), D("100.01")), D("0"), "discount_percent"),
    (LineInput(D("1"), D("10")), D("101"), "discount_percent"),
    (LineInput(D("1"), D("10")), D("-1"), "discount_percent"),
])
def test_bad_lines_are_refused(line, discount, field):
    with pytest.raises(PricingError) as caught:
        compute([line], discount)
    assert caught.value.field == field


def test_an_empty_quote_is_zero():
    totals = compute([], D("0"))
    assert (totals.subtotal, totals.tax, totals.total, totals.effective_discount_percent) == (0, 0, 0, 0)
