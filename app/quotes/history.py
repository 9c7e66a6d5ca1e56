"""A product's past quoted prices, shown next to each quote line so a rep never guesses.

Only prices a customer was actually given count: a line gets `quoted_at` when
its quote is sent. One scan of ix_quote_lines_price_history (product_id,
customer_id, quoted_at, INCLUDE currency, unit_price) per call, whatever the
number of quotes: per product and currency, overall and for one customer —
last price, lowest price (with dates), average and count.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.sales.money import round_money

_AGGREGATES = """
count(*) {f} AS n{s},
avg(unit_price) {f} AS average{s},
min(unit_price) {f} AS lowest{s},
(array_agg(quoted_at ORDER BY unit_price, quoted_at DESC) {f})[1] AS lowest_at{s},
(array_agg(unit_price ORDER BY quoted_at DESC) {f})[1] AS last{s},
max(quoted_at) {f} AS last_at{s}
"""
HISTORY_SQL = sa.text(f"""
SELECT product_id, currency,
{_AGGREGATES.format(f="", s="_all")},
{_AGGREGATES.format(f="FILTER (WHERE customer_id = :customer_id)", s="_customer")}
FROM quote_lines
WHERE product_id = ANY(:product_ids) AND quoted_at IS NOT NULL
GROUP BY product_id, currency
""")


@dataclass(frozen=True)
class PriceStats:
    count: int
    last: Decimal
    last_at: datetime
    lowest: Decimal
    lowest_at: datetime
    average: Decimal


def _stats(row, suffix: str) -> PriceStats | None:
    count = getattr(row, f"n{suffix}")
    if not count:
        return None
    return PriceStats(count, getattr(row, f"last{suffix}"), getattr(row, f"last_at{suffix}"),
                      getattr(row, f"lowest{suffix}"), getattr(row, f"lowest_at{suffix}"),
                      round_money(getattr(row, f"average{suffix}")))


def price_histories(product_ids: list[int], customer_id: int | None) -> dict:
    """{product_id: {currency: {"customer": PriceStats | None, "overall": PriceStats}}}"""
    result: dict = {}
    if not product_ids:
        return result
    rows = db.session.execute(HISTORY_SQL, {"product_ids": list(product_ids),
                                            "customer_id": customer_id or 0})
    for row in rows:
        result.setdefault(row.product_id, {})[row.currency] = {
            "customer": _stats(row, "_customer"), "overall": _stats(row, "_all")}
    return result


def price_history(product_id: int, customer_id: int | None) -> dict:
    """{currency: {"customer": …, "overall": …}} of one product."""
    return price_histories([product_id], customer_id).get(product_id, {})
