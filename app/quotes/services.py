"""Building and changing quotes: numbers, lines with default prices, totals, versions.

A draft is edited in place. Editing a quote that was approved, sent, rejected
or expired creates the next version (the old one stays as it was); a quote
waiting for approval or accepted cannot change. Services flush, never commit.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.i18n import N_
from app.forecast.rates import MissingRate, require_rate
from app.numbering import next_number
from app.products.models import Product
from app.products.services import default_price
from app.quotes.models import Quote, QuoteLine
from app.quotes.pricing import LineInput, PricingError, check_line, compute
from app.timeline.services import add_entry

NUMBER_COUNTER = "quote"
HEADER_FIELDS = ("customer_id", "contact_id", "opportunity_id", "currency", "valid_until",
                 "terms", "discount_percent")
REVISABLE = ("approved", "sent", "rejected", "expired")
EXPIRING = ("approved", "sent")


class QuoteError(ValueError):
    def __init__(self, field: str, message, line: int | None = None):
        super().__init__(str(message))
        self.field, self.message, self.line = field, message, line


@dataclass(frozen=True)
class LineEntry:
    """A line as the rep typed it: a product code, a quantity, optionally price and discount."""
    code: str
    quantity: Decimal
    unit_price: Decimal | None = None
    discount_percent: Decimal = Decimal("0")


def _product(code: str, allowed_archived: set[int], index: int) -> Product:
    product = db.session.scalar(sa.select(Product).where(
        sa.func.lower(Product.code) == code.strip().lower()))
    if product is None:
        raise QuoteError("code", _l("No product has the code %(code)s.", code=code), index)
    if not product.active and product.id not in allowed_archived:
        raise QuoteError("code", _l("%(code)s is archived and cannot be added to a quote.",
                                    code=product.code), index)
    return product


def _build_lines(quote: Quote, entries: list[LineEntry], customer: Customer) -> list[QuoteLine]:
    allowed_archived = {line.product_id for line in quote.lines}
    lines = []
    for index, entry in enumerate(entries):
        try:
            check_line(LineInput(entry.quantity, entry.unit_price or Decimal("0"),
                                 entry.discount_percent))
        except PricingError as error:
            raise QuoteError(error.field, error.message, index)
        product = _product(entry.code, allowed_archived, index)
        price = entry.unit_price
        if price is None:
            price = default_price(product, customer.tier, quote.currency)
        if price is None:
            raise QuoteError("unit_price", _l(
                "%(code)s has no price in %(currency)s: enter one.", code=product.code,
                currency=quote.currency), index)
        lines.append(QuoteLine(
            position=index + 1, product_id=product.id, code=product.code, name=product.name,
            unit=product.unit, quantity=entry.quantity, unit_price=price,
            discount_percent=entry.discount_percent, tax_rate=product.tax_rate,
            customer_id=quote.customer_id, currency=quote.currency))
    return lines


def _apply(quote: Quote, values: dict, entries: list[LineEntry]) -> None:
    customer = db.session.get(Customer, values["customer_id"])
    if customer is None or customer.deleted_at is not None:
        raise QuoteError("customer_code", _l("No customer has this code."))
    try:
        require_rate(values["currency"])
    except MissingRate as error:
        raise QuoteError("currency", error.message)
    for name in HEADER_FIELDS:
        setattr(quote, name, values.get(name))
    quote.discount_percent = values.get("discount_percent") or Decimal("0")
    lines = _build_lines(quote, entries, customer)
    try:
        totals = compute([LineInput(line.quantity, line.unit_price, line.discount_percent,
                                    line.tax_rate) for line in lines], quote.discount_percent)
    except PricingError as error:
        raise QuoteError(error.field, error.message)
    for line, amounts in zip(lines, totals.lines):
        line.net_amount, line.tax_amount = amounts.net, amounts.tax
    quote.lines = lines
    quote.subtotal, quote.discount_amount = totals.subtotal, totals.discount_amount
    quote.tax_amount, quote.total = totals.tax, totals.total


def totals_of(quote: Quote):
    return compute([LineInput(line.quantity, line.unit_price, line.discount_percent,
                              line.tax_rate) for line in quote.lines], quote.discount_percent)


def create_quote(values: dict, entries: list[LineEntry], actor_id: int | None) -> Quote:
    """A new draft with the next gap-free number, on the customer's timeline."""
    owner = db.session.get(User, actor_id) if actor_id else None
    quote = Quote(version=1, is_current=True, status="draft", owner_id=actor_id,
                  unit_id=owner.unit_id if owner else None)
    _apply(quote, values, entries)
    quote.number = f"Q{next_number(NUMBER_COUNTER):06d}"
    db.session.add(quote)
    db.session.flush()
    add_entry(customer_id=quote.customer_id, kind="quote", user_id=actor_id,
              event=(N_("Quote %(label)s created"), {"label": quote.label}), ref_type="quote",
              ref_id=quote.id, subject=("quote", quote.id))
    return quote


def revise(quote: Quote, actor_id: int | None) -> Quote:
    """The next version, a draft copy; the old version is kept unchanged (not current)."""
    if not quote.is_current:
        raise QuoteError("version", _l("Only the latest version of a quote can be revised."))
    if quote.status in ("pending_approval", "accepted"):
        raise QuoteError("status", _l("A quote waiting for approval or accepted cannot be revised."))
    copy = Quote(number=quote.number, version=quote.version + 1, is_current=True, status="draft",
                 owner_id=quote.owner_id, unit_id=quote.unit_id,
                 **{name: getattr(quote, name) for name in HEADER_FIELDS},
                 subtotal=quote.subtotal, discount_amount=quote.discount_amount,
                 tax_amount=quote.tax_amount, total=quote.total)
    copy.lines = [QuoteLine(**{c.key: getattr(line, c.key) for c in QuoteLine.__table__.columns
                               if c.key not in ("id", "quote_id", "quoted_at")})
                  for line in quote.lines]
    quote.is_current = False
    db.session.add(copy)
    db.session.flush()
    add_entry(customer_id=copy.customer_id, kind="quote", user_id=actor_id,
              event=(N_("Quote %(label)s: new version"), {"label": copy.label}),
              ref_type="quote", ref_id=copy.id, subject=("quote", copy.id))
    return copy


def edit_quote(quote: Quote, values: dict, entries: list[LineEntry],
               actor_id: int | None) -> Quote:
    """Change a quote; returns the quote changed (a new version unless it was a draft)."""
    if not quote.is_current:
        raise QuoteError("version", _l("This is an old version. Edit the latest one."))
    if quote.status == "pending_approval":
        raise QuoteError("status", _l("This quote waits for approval and cannot change until "
                                      "it is decided."))
    if quote.status == "accepted":
        raise QuoteError("status", _l("An accepted quote cannot change."))
    if quote.status in REVISABLE:
        quote = revise(quote, actor_id)
    _apply(quote, values, entries)
    db.session.flush()
    return quote


def versions_of(quote: Quote) -> list[Quote]:
    return list(db.session.scalars(sa.select(Quote).where(Quote.number == quote.number)
                                   .order_by(Quote.version.desc())))


def quotes_of_opportunity(opportunity_id: int) -> list[Quote]:
    return list(db.session.scalars(sa.select(Quote).where(
        Quote.opportunity_id == opportunity_id, Quote.is_current).order_by(Quote.id.desc())))


def is_past_validity(quote: Quote, today: date) -> bool:
    """Whether the daily expiry job will expire this quote at its next run."""
    return (quote.is_current and quote.status in EXPIRING and quote.valid_until is not None
            and quote.valid_until < today)


def expire_due(today: date) -> int:
    """Approved or sent quotes valid until a day before `today` become expired, each with a
    timeline entry (and, like every quote change, an audit entry). Idempotent.

    The rows are locked while they change, so a quote a user accepts at this very
    moment ends up accepted, never accepted-then-expired."""
    due = db.session.scalars(
        sa.select(Quote).where(Quote.status.in_(EXPIRING), Quote.is_current,
                               Quote.valid_until < today)
        .order_by(Quote.id).with_for_update()).all()
    for quote in due:
        quote.status = "expired"
        add_entry(customer_id=quote.customer_id, kind="quote", ref_type="quote", ref_id=quote.id,
                  subject=("quote", quote.id),
                  event=(N_("Quote %(label)s expired: it was valid until %(day)s"),
                         {"label": quote.label, "day": quote.valid_until.isoformat()}))
    db.session.flush()
    return len(due)
