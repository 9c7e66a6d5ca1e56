"""Orders from accepted quotes: a gap-free order number, the quote's lines copied."""
import sqlalchemy as sa

from app.access.visibility import visible_to
from app.extensions import db
from app.i18n import N_
from app.numbering import next_number
from app.orders.models import Order, OrderLine
from app.timeline.services import add_entry

NUMBER_COUNTER = "order"


def order_from_quote(quote, actor_id: int | None) -> Order:
    order = Order(
        number=f"SO{next_number(NUMBER_COUNTER):06d}", quote_id=quote.id,
        customer_id=quote.customer_id, opportunity_id=quote.opportunity_id,
        owner_id=quote.owner_id, unit_id=quote.unit_id, currency=quote.currency,
        subtotal=quote.subtotal - quote.discount_amount, tax_amount=quote.tax_amount,
        total=quote.total, status="open")
    db.session.add(order)
    db.session.flush()
    for line in quote.lines:
        db.session.add(OrderLine(order_id=order.id, position=line.position,
                                 product_id=line.product_id, code=line.code, name=line.name,
                                 quantity=line.quantity, unit_price=line.unit_price,
                                 net_amount=line.net_amount))
    add_entry(customer_id=order.customer_id, kind="order", user_id=actor_id,
              event=(N_("Order %(order)s from quote %(quote)s"),
                     {"order": order.number, "quote": quote.label}),
              ref_type="order", ref_id=order.id, subject=("order", order.id))
    db.session.flush()
    return order


def order_of_quote(quote_id: int) -> Order | None:
    return db.session.scalar(sa.select(Order).where(Order.quote_id == quote_id))


def recent_orders_of(customer_id: int, user, limit: int = 5) -> list[Order]:
    """The customer's latest orders this user may see, for the customer's page."""
    return list(db.session.scalars(
        sa.select(Order).where(Order.customer_id == customer_id, visible_to(user, Order))
        .order_by(Order.ordered_at.desc(), Order.id.desc()).limit(limit)))
