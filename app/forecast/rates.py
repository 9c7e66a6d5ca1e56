"""The tenant's exchange rates: amounts in other currencies converted to the tenant's currency.

1 unit of a currency = `rate` units of the tenant's own currency (its registry
setting, e.g. CNY), which needs no rate. A currency without a rate is refused
where money is entered (opportunities, quotes) and named in the forecast.
"""
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.forecast.models import ExchangeRate
from app.sales.money import to_decimal
from tenants.context import require_tenant
from tenants.models import Tenant


class MissingRate(ValueError):
    """Amounts in currencies with no exchange rate; the message names them."""

    def __init__(self, currencies):
        self.currencies = sorted(set(currencies))
        super().__init__(str(self.message))

    @property
    def message(self):
        return _l("No exchange rate for %(currencies)s to %(base)s. An administrator adds it "
                  "under Forecast → Exchange rates.", currencies=", ".join(self.currencies),
                  base=base_currency())


def base_currency() -> str:
    return db.session.get(Tenant, require_tenant().id).currency


def rate_table() -> dict[str, Decimal]:
    """{currency: rate}, the tenant's own currency at 1."""
    rates = dict(db.session.execute(sa.select(ExchangeRate.currency, ExchangeRate.rate)).all())
    rates[base_currency()] = Decimal(1)
    return rates


def require_rate(currency: str) -> None:
    if currency not in rate_table():
        raise MissingRate([currency])


def convert(amount: Decimal, currency: str, rates: dict[str, Decimal]) -> Decimal:
    """amount in the tenant's currency, unrounded; MissingRate if currency has no rate."""
    if currency not in rates:
        raise MissingRate([currency])
    return to_decimal(amount) * rates[currency]


def set_rate(currency: str, rate: Decimal) -> ExchangeRate:
    if rate <= 0:
        raise ValueError("a rate must be above zero")
    row = db.session.get(ExchangeRate, currency)
    if row is None:
        row = ExchangeRate(currency=currency)
        db.session.add(row)
    row.rate = rate
    db.session.flush()
    return row


def remove_rate(currency: str) -> None:
    row = db.session.get(ExchangeRate, currency)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
