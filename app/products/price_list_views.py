"""Price list pages: the lists, one list's prices, setting and removing a price."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.access.permissions import requires
from app.extensions import db
from app.products import services
from app.products.forms import PriceListForm, PriceListItemForm
from app.products.models import PriceList, PriceListItem
from app.products.blueprint import bp


def _price_list(list_id) -> PriceList:
    return db.session.get(PriceList, list_id) or abort(404)


@bp.get("/price-lists/")
@requires("products", "view")
def price_lists():
    return render_template("products/price_lists.html", lists=db.session.scalars(
        sa.select(PriceList).order_by(PriceList.name)).all(), form=PriceListForm())


@bp.post("/price-lists/new")
@requires("products", "edit")
def new_price_list():
    form = PriceListForm()
    if form.validate_on_submit():
        try:
            price_list = services.save_price_list(None, form.name.data, form.currency.data,
                                                  form.tier.data or None)
        except services.ProductError as error:
            form[error.field].errors.append(str(error.message))
        else:
            flash(_("The price list is saved."), "success")
            return redirect(url_for("workspace.products.price_list", list_id=price_list.id))
    lists = db.session.scalars(sa.select(PriceList).order_by(PriceList.name)).all()
    return render_template("products/price_lists.html", lists=lists, form=form), 422


@bp.route("/price-lists/<int:list_id>", methods=["GET", "POST"])
@requires("products", "edit")
def price_list(list_id):
    price_list = _price_list(list_id)
    form = PriceListItemForm()
    if form.validate_on_submit():
        try:
            services.set_item(price_list, form.code.data.strip(), form.price.data)
        except services.ProductError as error:
            form[error.field].errors.append(str(error.message))
        else:
            flash(_("Price saved."), "success")
            return redirect(url_for("workspace.products.price_list", list_id=list_id))
    status = 422 if form.is_submitted() else 200
    return render_template("products/price_list.html", price_list=price_list, form=form,
                           items=services.items_of(price_list)), status


@bp.post("/price-lists/<int:list_id>/items/<int:product_id>/remove")
@requires("products", "edit")
def remove_item(list_id, product_id):
    item = db.session.get(PriceListItem, (list_id, product_id)) or abort(404)
    db.session.delete(item)
    flash(_("The price is removed from the list."), "success")
    return redirect(url_for("workspace.products.price_list", list_id=list_id))
