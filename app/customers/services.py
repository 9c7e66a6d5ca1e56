"""Customer rules: numbering, create/update, ownership changes, tiers, soft delete, merge.

Services flush, never commit; the request (or job, or CLI call) commits.
"""
import sqlalchemy as sa

from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from app.i18n import N_
from app.numbering import next_number
from app.timeline.services import add_entry
from billing import limits

CODE_COUNTER = "customer_code"


class CustomerError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def code_taken(code: str, except_id: int | None = None) -> bool:
    query = sa.select(Customer.id).where(sa.func.lower(Customer.code) == code.lower())
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def next_code() -> str:
    """C000001, C000002, … skipping codes someone typed by hand."""
    while True:
        code = f"C{next_number(CODE_COUNTER):06d}"
        if not code_taken(code):
            return code


def check_code_free(code: str | None, except_id: int | None = None) -> None:
    from flask_babel import lazy_gettext as _l

    if code and code_taken(code, except_id):
        raise CustomerError("code", _l("Another customer already has this code."))


def _apply(customer: Customer, values: dict) -> None:
    code = values.pop("code", None)
    if code:
        check_code_free(code, customer.id)
        customer.code = code
    elif not customer.code:
        customer.code = next_code()
    if "custom" in values:
        customer.custom = {**(customer.custom or {}), **values.pop("custom")}
    tier = values.pop("tier", None)
    customer.tier_is_manual = tier is not None
    if tier is not None:
        customer.tier = tier
    for name, value in values.items():
        setattr(customer, name, value)


def create_customer(values: dict, actor_id: int | None, unit_id: int | None = None) -> Customer:
    """A new customer; billing.limits.LimitReached when the plan's record limit is reached."""
    limits.check("records", 1)
    customer = Customer(owner_id=actor_id, created_by_id=actor_id, unit_id=unit_id, tags=[],
                        custom={})
    _apply(customer, dict(values))
    db.session.add(customer)
    db.session.flush()
    return customer


def update_customer(customer: Customer, values: dict) -> Customer:
    _apply(customer, dict(values))
    db.session.flush()
    return customer


def live_customers(ids: list[int]) -> list[Customer]:
    return list(db.session.scalars(
        sa.select(Customer).where(Customer.id.in_(ids), Customer.deleted_at.is_(None))))


def reassign(ids: list[int], new_owner_id: int, actor_id: int | None) -> int:
    """Give customers (and their contacts) to another rep; the timeline keeps who had them."""
    from app.auth.models import User

    new_owner = db.session.get(User, new_owner_id)
    if new_owner is None or not new_owner.active:
        raise CustomerError("owner", "the new owner must be an active user")
    customers = live_customers(ids)
    for customer in customers:
        if customer.owner_id == new_owner_id:
            continue
        previous = db.session.get(User, customer.owner_id) if customer.owner_id else None
        add_entry(customer_id=customer.id, kind="ownership", user_id=actor_id,
                  event=(N_("Sales rep changed from %(from)s to %(to)s"),
                         {"from": previous.name if previous else "—", "to": new_owner.name}))
        customer.owner_id = new_owner_id
    db.session.execute(sa.update(Contact).where(Contact.customer_id.in_([c.id for c in customers]))
                       .values(owner_id=new_owner_id))
    db.session.flush()
    return len(customers)


def add_tags(ids: list[int], tags: list[str]) -> int:
    customers = live_customers(ids)
    for customer in customers:
        customer.tags = list(dict.fromkeys([*(customer.tags or []), *tags]))
    db.session.flush()
    return len(customers)


def soft_delete(ids: list[int]) -> int:
    """Deleted customers leave every list and search but keep their history."""
    result = db.session.execute(
        sa.update(Customer).where(Customer.id.in_(ids), Customer.deleted_at.is_(None))
        .values(deleted_at=sa.func.now()))
    return result.rowcount


def refresh_sales_volumes(ids=None) -> None:
    """sales_volume = sales_history + the last 12 months of orders (net, in the workspace
    currency) for every customer, or those in ids; only changed rows are written. Orders in
    a currency with no exchange rate are left out (the forecast page names such currencies)."""
    from app.forecast.rates import rate_table
    from app.orders.models import Order

    rates = sa.values(sa.column("currency", sa.String), sa.column("rate", sa.Numeric),
                      name="rates").data(list(rate_table().items()))
    orders = (
        sa.select(Order.customer_id, sa.func.sum(Order.subtotal * rates.c.rate).label("amount"))
        .join(rates, rates.c.currency == Order.currency)
        .where(Order.ordered_at >= sa.func.now() - sa.text("interval '12 months'"))
        .group_by(Order.customer_id).subquery()
    )
    volume = sa.func.round(sa.func.coalesce(Customer.sales_history, 0)
                           + sa.func.coalesce(orders.c.amount, 0), 2)
    computed = (sa.select(Customer.id, volume.label("volume"))
                .outerjoin(orders, orders.c.customer_id == Customer.id))
    if ids is not None:
        computed = computed.where(Customer.id.in_(list(ids)))
    computed = computed.subquery()
    db.session.execute(
        sa.update(Customer).where(Customer.id == computed.c.id,
                                  Customer.sales_volume.is_distinct_from(computed.c.volume))
        .values(sales_volume=computed.c.volume).execution_options(synchronize_session=False))


def recompute_tiers() -> None:
    """Among live customers with sales data (a sales volume, or a history figure): A = top
    20% by sales volume, B = next 30%, C = the rest. Customers with no data stay untiered
    (ranking a column of zeros made everyone tier A). Manual tiers are kept; only rows
    whose tier changes are written."""
    has_data = sa.or_(Customer.sales_volume > 0, Customer.sales_history.is_not(None))
    ranked = (
        sa.select(Customer.id, sa.func.percent_rank().over(order_by=Customer.sales_volume.desc())
                  .label("rank"))
        .where(Customer.deleted_at.is_(None), has_data).subquery()
    )
    tier = sa.case((ranked.c.rank < 0.2, "A"), (ranked.c.rank < 0.5, "B"), else_="C")
    db.session.execute(
        sa.update(Customer).where(Customer.id == ranked.c.id, Customer.tier_is_manual.is_(False),
                                  Customer.tier.is_distinct_from(tier))
        .values(tier=tier).execution_options(synchronize_session=False))
    db.session.execute(
        sa.update(Customer).where(Customer.tier_is_manual.is_(False), Customer.tier.is_not(None),
                                  Customer.deleted_at.is_(None), sa.not_(has_data))
        .values(tier=None).execution_options(synchronize_session=False))
