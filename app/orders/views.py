"""Order pages: the list (filters, newest first, keyset pages) and one order with its lines.

Orders are part of selling: they use the quotes' permissions (module "sales").
"""
from decimal import Decimal

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.timeline.activity import activity_for
from app.access.permissions import requires
from app.access.visibility import find_visible, visible_or_404
from app.auth.models import User
from app.customers.forms import CURRENCIES
from app.customers.models import Customer
from app.extensions import db
from app.lists.page import list_page
from app.orders.blueprint import bp
from app.orders.listing import STATUS_NAMES, order_list, visible_orders_query
from app.orders.models import Order
from app.quotes.models import Quote


@bp.get("/")
@requires("sales", "view")
def index():
    stmt = visible_orders_query(current_user).options(selectinload(Order.customer),
                                                      selectinload(Order.owner))
    users = db.session.execute(sa.select(User.id, User.name).order_by(User.name)).all()
    customer_id = request.args.get("customer", type=int)
    # The filter applies either way; the heading names the customer only to those who see it.
    customer = find_visible(Customer, customer_id)
    return list_page(order_list(), stmt, "orders/index.html", "orders", users=users,
                     customer=customer, currencies=CURRENCIES, status_names=STATUS_NAMES)


@bp.get("/<int:order_id>")
@requires("sales", "view")
def show(order_id):
    order = visible_or_404(Order, order_id)
    # The order keeps the quote's net after its total discount; the lines keep their own nets.
    discount = sum((line.net_amount for line in order.lines), Decimal("0")) - order.subtotal
    return render_template("orders/show.html", order=order,
                           quote=db.session.get(Quote, order.quote_id), discount=discount,
                           status_names=STATUS_NAMES, activity=activity_for("order", order.id))
