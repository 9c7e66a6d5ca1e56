"""Product catalogue pages: list and search, create, edit, archive; the JSON lookup for quotes."""
from flask import (abort, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import can, requires
from app.customers.forms import CURRENCIES
from app.extensions import db
from app.lists.page import list_page
from app.products import images, services
from app.products.blueprint import bp
from app.products.forms import ProductForm
from app.products.listing import PRODUCT_LIST, product_list_query
from app.products.models import Product
from billing.limits import LimitReached


def _product(product_id) -> Product:
    return db.session.get(Product, product_id) or abort(404)


@bp.get("/")
@requires("products", "view")
def index():
    archived = request.args.get("archived") == "1"
    return list_page(PRODUCT_LIST, product_list_query(archived), "products/index.html", "products",
                     archived=archived, currencies=CURRENCIES)


@bp.get("/lookup")
@requires("products", "view")
def lookup():
    """Products for a quote line as you type: code, name, unit, tax rate (JSON)."""
    products = services.find_products(request.args.get("q", ""), limit=10)
    return jsonify([{"id": p.id, "code": p.code, "name": p.name, "unit": p.unit or "",
                     "tax_rate": str(p.tax_rate)} for p in products])


def _form(product: Product | None) -> ProductForm:
    data = {}
    if product is not None:
        data = {f"price_{c}": product.list_price(c) for c in CURRENCIES}
    form = ProductForm(obj=product, **data)
    if not can(current_user, "margins", "view"):
        del form.cost
    return form


def _save(product: Product | None, form: ProductForm) -> Product:
    """The product's fields, then its picture: replaced, removed or left alone."""
    product = services.save_product(product, form.cleaned())
    if form.image_data is not None:
        images.set_image(product, form.image_data)
    elif form.remove_image.data:
        images.remove_image(product)
    return product


def _edit_page(product: Product | None):
    form, limit = _form(product), None
    if form.validate_on_submit():
        try:
            saved = _save(product, form)
        except (services.ProductError, images.ImageError) as error:
            field = getattr(error, "field", "image")
            form[field].errors.append(str(getattr(error, "message", error)))
        except LimitReached as error:
            limit = error
        else:
            flash(_("The product is saved."), "success")
            return redirect(url_for("workspace.products.show", product_id=saved.id))
    status = 422 if form.is_submitted() else 200
    return render_template("products/form.html", form=form, product=product, limit=limit,
                           currencies=CURRENCIES), status


@bp.route("/new", methods=["GET", "POST"])
@requires("products", "create")
def new():
    return _edit_page(None)


@bp.route("/<int:product_id>/edit", methods=["GET", "POST"])
@requires("products", "edit")
def edit(product_id):
    return _edit_page(_product(product_id))


@bp.get("/<int:product_id>")
@requires("products", "view")
def show(product_id):
    from app.quotes.history import price_history

    product = _product(product_id)
    return render_template("products/show.html", product=product, currencies=CURRENCIES,
                           history=price_history(product.id, None),
                           show_cost=can(current_user, "margins", "view"))


@bp.get("/<int:product_id>/image")
@requires("products", "view")
def image(product_id):
    """The picture, only ever as the image type its bytes were checked to be (never as a page)."""
    product = _product(product_id)
    path = images.image_path(product)
    if path is None:
        abort(404)
    return _send_image(path, product.image_type, f"product-{product.id}{path.suffix}")


@bp.get("/<int:product_id>/thumbnail")
@requires("products", "view")
def thumbnail(product_id):
    """The small picture for the product list (the picture itself if it was never shrunk)."""
    product = _product(product_id)
    found = images.thumbnail_file(product)
    if found is None:
        abort(404)
    path, mimetype = found
    return _send_image(path, mimetype, f"product-{product.id}-thumbnail{path.suffix}")


def _send_image(path, mimetype: str, download_name: str):
    response = send_file(path, mimetype=mimetype, max_age=86400, download_name=download_name)
    response.cache_control.public = False  # behind the log-in: no shared cache may keep it
    response.cache_control.private = True
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/<int:product_id>/archive")
@requires("products", "delete")
def archive(product_id):
    services.archive(_product(product_id))
    flash(_("The product is archived: it is no longer offered on new quotes; "
            "existing quotes and orders keep it."), "success")
    return redirect(url_for("workspace.products.show", product_id=product_id))


@bp.post("/<int:product_id>/restore")
@requires("products", "delete")
def restore(product_id):
    services.restore(_product(product_id))
    flash(_("The product is active again."), "success")
    return redirect(url_for("workspace.products.show", product_id=product_id))
