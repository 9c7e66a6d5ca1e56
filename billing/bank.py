"""Bank-transfer details per currency: set by provider staff in the console, printed on every
manual invoice (page, PDF, e-mail) in that invoice's currency."""
import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from billing.models import CURRENCIES, BankAccount

MAX_LENGTH = 2000


class BankDetailsError(ValueError):
    pass


def details_for(currency: str) -> str:
    """What a customer paying in `currency` transfers to; the BILLING_BANK_DETAILS setting
    until the provider has entered an account for that currency."""
    account = db.session.get(BankAccount, currency)
    return account.details if account is not None else current_app.config["BILLING_BANK_DETAILS"]


def all_details() -> dict[str, str]:
    """Currency → the details entered (currencies without an account are missing)."""
    return {account.currency: account.details for account in db.session.scalars(sa.select(BankAccount))}


def set_details(currency: str, details: str) -> bool:
    """Save (or, when empty, remove) a currency's details; True if anything changed; flushes."""
    if currency not in CURRENCIES:
        raise BankDetailsError("unknown currency")
    details = details.strip().replace("\r\n", "\n")
    if len(details) > MAX_LENGTH:
        raise BankDetailsError("too long")
    account = db.session.get(BankAccount, currency)
    if not details:
        if account is None:
            return False
        db.session.delete(account)
    elif account is None:
        db.session.add(BankAccount(currency=currency, details=details))
    elif account.details != details:
        account.details = details
    else:
        return False
    db.session.flush()
    return True
