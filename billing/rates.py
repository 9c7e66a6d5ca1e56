"""Exchange rates the provider sets: 1 unit of a currency in the reporting currency (MRR, dashboard)."""
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from billing.models import CURRENCIES, ExchangeRate

MAX_RATE = Decimal("1000000")


class RateError(ValueError):
    pass


def reporting_currency() -> str:
    return current_app.config["BILLING_REPORTING_CURRENCY"]


def editable_currencies() -> list[str]:
    """Every currency but the reporting one (its rate is 1 by definition)."""
    return [c for c in CURRENCIES if c != reporting_currency()]


def current_rates() -> dict[str, Decimal]:
    return {rate.currency: rate.rate for rate in db.session.scalars(sa.select(ExchangeRate))}


def parse_rate(raw: str) -> Decimal:
    """A positive decimal with at most six places, or RateError."""
    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation:
        raise RateError(raw)
    if not value.is_finite() or value <= 0 or value > MAX_RATE or value != value.quantize(Decimal("0.000001")):
        raise RateError(raw)
    return value


def update_rates(values: dict[str, Decimal]) -> dict[str, tuple]:
    """Set the given rates (the reporting currency stays 1); returns {currency: (old, new)} changed."""
    changed = {}
    for currency, value in values.items():
        if currency not in editable_currencies():
            raise RateError(currency)
        row = db.session.get(ExchangeRate, currency)
        if row is None:
            row = ExchangeRate(currency=currency, rate=value)
            db.session.add(row)
            changed[currency] = (None, value)
        elif row.rate != value:
            changed[currency] = (row.rate, value)
            row.rate = value
    db.session.flush()
    return changed
