"""Quote arithmetic, table-driven, with amounts that do not divide evenly.

Every expected figure follows docs/SALES.md ("How totals are computed"): line
net and gross rounded once per line, the total discount amount rounded once,
tax per line on the net after the total discount, ROUND_HALF_UP to cents.
"""
from datetime import date
from decimal import Decimal as D

import pytest

from app.extensions import db
from app.quotes import services
from app.quotes.models import Quote
from app.quotes.pricing import LineInput, PricingError, compute
from app.quotes.services import LineEntry, QuoteError
from tests.sales.conftest import customer, owner_id, product

CASES = {
    # lines (quantity, price, line discount %, tax %), total discount %:
    #   line gross, line net, line tax, gross, subtotal, discount amount, tax, total, effective %
    "fractional-quantity": (
        [("2.5", "19.99", "0", "13")], "3",
        # 49.975 → 49.98; 49.98 × 3 % = 1.4994 → 1.50; 49.98 × .97 × .13 = 6.302478 → 6.30
        ["49.98"], ["49.98"], ["6.30"], "49.98", "49.98", "1.50", "6.30", "54.78", "3.00"),
    "half-cents-everywhere": (
        [("3", "0.335", "0", "6"), ("1", "0.05", "50", "13")], "33.33",
        # gross 1.005 → 1.01 and 0.05; net 1.01 and 0.025 → 0.03; 1.04 × 33.33 % = 0.346632 → 0.35
        # tax 1.01 × .6667 × .06 = 0.0404… → 0.04; 0.03 × .6667 × .13 = 0.0026 → 0.00
        ["1.01", "0.05"], ["1.01", "0.03"], ["0.04", "0.00"], "1.06", "1.04", "0.35", "0.04", "0.73",
        "34.91"),
    "discount-amount-rounds-up": (
        [("3", "333.33", "5", "13"), ("2.5", "19.99", "0", "6")], "2.5",
        # 949.9905 → 949.99; 999.97 × 2.5 % = 24.99925 → 25.00
        # tax 949.99 × .975 × .13 = 120.41123… → 120.41; 49.98 × .975 × .06 = 2.92383 → 2.92
        ["999.99", "49.98"], ["949.99", "49.98"], ["120.41", "2.92"], "1049.97", "999.97", "25.00",
        "123.33", "1098.30", "7.14"),  # 75.00 of 1049.97 given
    "whole-quote-free": (
        [("1", "99.99", "0", "13")], "100",
        ["99.99"], ["99.99"], ["0.00"], "99.99", "99.99", "99.99", "0.00", "0.00", "100.00"),
    "line-free-total-discounted": (
        [("7", "3.33", "100", "13"), ("7", "3.33", "10", "13")], "12.5",
        # 23.31 gross each; nets 0.00 and 20.979 → 20.98; 20.98 × 12.5 % = 2.6225 → 2.62
        # tax 20.98 × .875 × .13 = 2.386475 → 2.39
        ["23.31", "23.31"], ["0.00", "20.98"], ["0.00", "2.39"], "46.62", "20.98", "2.62", "2.39",
        "20.75", "60.62"),  # 28.26 of 46.62 given
}


def _amounts(values):
    return [D(v) for v in values]


@pytest.mark.parametrize("case", CASES)
def test_every_amount_is_rounded_where_documented(case):
    lines, discount, gross_lines, nets, taxes, gross, subtotal, discount_amount, tax, total, effective = \
        CASES[case]
    totals = compute([LineInput(*map(D, line)) for line in lines], D(discount))
    assert [line.gross for line in totals.lines] == _amounts(gross_lines)
    assert [line.net for line in totals.lines] == _amounts(nets)
    assert [line.tax for line in totals.lines] == _amounts(taxes)
    assert (totals.gross, totals.subtotal, totals.discount_amount, totals.tax, totals.total) == (
        D(gross), D(subtotal), D(discount_amount), D(tax), D(total))
    assert totals.effective_discount_percent == D(effective)
    # Rounded, not merely equal: each amount has exactly two places.
    for amount in (totals.gross, totals.subtotal, totals.discount_amount, totals.tax, totals.total,
                   *(a for line in totals.lines for a in (line.gross, line.net, line.tax))):
        assert amount.as_tuple().exponent == -2, amount


@pytest.mark.parametrize("percent, accepted", [
    ("0", True), ("0.01", True), ("99.99", True), ("100", True), ("100.00", True),
    ("100.01", False), ("-0.01", False), ("150", False),
])
def test_a_discount_is_between_0_and_100_inclusive(percent, accepted):
    line = LineInput(D("1"), D("10.00"), D(percent))
    for attempt in (lambda: compute([line]), lambda: compute([LineInput(D("1"), D("10.00"))], D(percent))):
        if accepted:
            assert attempt().total >= 0
        else:
            with pytest.raises(PricingError) as refused:
                attempt()
            assert refused.value.field == "discount_percent"


def test_a_saved_quote_stores_each_amount_in_its_own_column(scope):
    """The service writes line net and tax, subtotal, discount, tax and total from the right figures."""
    product("SOFA-1", price="333.33", tax="13")
    product("LAMP-1", name="台灯", price="19.99", tax="6")
    values = {"customer_id": customer().id, "currency": "CNY", "discount_percent": D("2.5"),
              "valid_until": date(2099, 1, 31), "terms": ""}
    entries = [LineEntry("SOFA-1", D("3"), None, D("5")), LineEntry("LAMP-1", D("2.5"))]
    quote = services.create_quote(values, entries, owner_id())

    def stored(q):
        return ([(line.net_amount, line.tax_amount) for line in q.lines],
                (q.subtotal, q.discount_amount, q.tax_amount, q.total))

    expected = ([(D("949.99"), D("120.41")), (D("49.98"), D("2.92"))],
                (D("999.97"), D("25.00"), D("123.33"), D("1098.30")))
    assert stored(quote) == expected
    quote_id = quote.id
    db.session.commit()
    db.session.expire_all()
    assert stored(db.session.get(Quote, quote_id)) == expected


def test_a_saved_quote_refuses_a_total_discount_over_100(scope):
    product("SOFA-1", price="10.00")
    values = {"customer_id": customer().id, "currency": "CNY", "discount_percent": D("100.01"),
              "valid_until": date(2099, 1, 31), "terms": ""}
    with pytest.raises(QuoteError) as refused:
        services.create_quote(values, [LineEntry("SOFA-1", D("1"))], owner_id())
    assert refused.value.field == "discount_percent"
    values["discount_percent"] = D("100")
    assert services.create_quote(values, [LineEntry("SOFA-1", D("1"))], owner_id()).total == D("0.00")


@pytest.mark.parametrize("line, overall, field, message", [
    (("0", "10", "0", "0"), "0", "quantity", "The quantity must be more than zero."),
    (("1", "-0.01", "0", "0"), "0", "unit_price", "A price cannot be negative."),
    (("1", "10", "100.01", "0"), "0", "discount_percent", "A discount is between 0 and 100%."),
])
def test_bad_lines_are_refused_with_the_words_the_form_shows(app, line, overall, field, message):
    quantity, price, discount, tax = (D(value) for value in line)
    with app.test_request_context(), pytest.raises(PricingError) as refused:
        compute([LineInput(quantity, price, discount, tax)], D(overall))
    assert refused.value.field == field and str(refused.value.message) == message
