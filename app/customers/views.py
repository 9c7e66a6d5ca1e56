"""Customer pages: list, create, edit, the 360 page, delete, merge, quick timeline actions."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.access.permissions import can, requires
from app.access.visibility import editable_or_403, may_edit, visible_or_404
from app.attachments.services import attachments_of
from app.contacts.models import Contact
from app.customers import services
from app.customers.blueprint import bp
from app.customers.duplicates import find_duplicates, split_by_visibility
from app.customers.forms import CustomerForm
from app.customers.listing import customer_list, live_customers_query
from app.customfields.forms import fill_custom, with_custom_fields
from app.customfields.services import fields_of
from app.customers.merging import merge_customers
from app.customers.models import Customer
from app.extensions import db
from app.lists.page import flash_limit, list_page
from app.orders.services import recent_orders_of
from app.timeline.activity import activity_for
from app.timeline.forms import QuickEntryForm
from billing.limits import LimitReached
from app.timeline.services import add_entry


def customer_form():
    """The customer form with this tenant's custom fields."""
    return with_custom_fields(CustomerForm, "customers")


@bp.get("/")
@requires("customers", "view")
def index():
    from app.auth.models import User

    # The list shows the owner's name only; whole User rows cost more to load than the page.
    stmt = live_customers_query(current_user).options(
        joinedload(Customer.owner).load_only(User.name))
    # Only what the "assign to" menu shows: whole User rows cost ~5 ms with 100 users.
    users = db.session.execute(
        sa.select(User.id, User.name).where(User.active).order_by(User.name)).all()
    return list_page(customer_list(), stmt, "customers/list.html", "customers",
                     assignable_users=users)


@bp.route("/new", methods=["GET", "POST"])
@requires("customers", "create")
def new():
    form = customer_form()()
    duplicates, hidden_duplicates = [], 0
    if form.validate_on_submit():
        values = form.cleaned()
        try:
            services.check_code_free(values["code"])
            duplicates, hidden_duplicates = split_by_visibility(find_duplicates(values),
                                                                current_user)
            if not (duplicates or hidden_duplicates) or request.form.get("confirm_duplicate"):
                customer = services.create_customer(values, current_user.id, current_user.unit_id)
                flash(_("Customer %(code)s saved.", code=customer.code), "success")
                return redirect(url_for("workspace.customers.show", customer_id=customer.id))
        except services.CustomerError as error:
            form[error.field].errors.append(error.message)
        except LimitReached as limit:
            flash_limit(limit)
    status = 422 if form.is_submitted() else 200
    return render_template("customers/form.html", form=form, customer=None,
                           duplicates=duplicates, hidden_duplicates=hidden_duplicates), status


@bp.get("/<int:customer_id>")
@requires("customers", "view")
def show(customer_id):
    customer = visible_or_404(Customer, customer_id)
    contacts = db.session.scalars(
        sa.select(Contact).where(Contact.customer_id == customer.id, Contact.deleted_at.is_(None))
        .order_by(Contact.is_primary.desc(), Contact.name)).all()
    return render_template("customers/show.html", customer=customer, contacts=contacts,
                           attachments=attachments_of(customer_id=customer.id),
                           custom_fields=fields_of("customers"),
                           activity=activity_for("customer", customer.id),
                           quick_form=QuickEntryForm(),
                           can_edit=can(current_user, "customers", "edit") and may_edit(customer),
                           orders=_recent_orders(customer.id))


def _recent_orders(customer_id: int) -> list:
    """The customer's latest orders, for those who may see sales (and only orders they may see)."""
    if not can(current_user, "sales", "view"):
        return []
    return recent_orders_of(customer_id, current_user)


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@requires("customers", "edit")
def edit(customer_id):
    customer = editable_or_403(Customer, customer_id)
    form = customer_form()(obj=customer)
    if request.method == "GET":
        form.tier.data = customer.tier if customer.tier_is_manual else ""
        fill_custom(form, customer)
    if form.validate_on_submit():
        try:
            services.update_customer(customer, form.cleaned())
            flash(_("Customer %(code)s saved.", code=customer.code), "success")
            return redirect(url_for("workspace.customers.show", customer_id=customer.id))
        except services.CustomerError as error:
            form[error.field].errors.append(error.message)
    status = 422 if form.is_submitted() else 200
    return render_template("customers/form.html", form=form, customer=customer,
                           duplicates=[]), status


@bp.post("/<int:customer_id>/timeline")
@requires("customers", "edit")
def add_to_timeline(customer_id):
    customer = editable_or_403(Customer, customer_id)
    form = QuickEntryForm()
    if form.validate_on_submit():
        add_entry(customer_id=customer.id, kind=form.kind.data, title=form.title.data,
                  body=form.body.data or None, user_id=current_user.id)
        flash(_("Added to the timeline."), "success")
        return redirect(url_for("workspace.customers.show", customer_id=customer.id))
    for field_errors in form.errors.values():
        for message in field_errors:
            flash(message, "danger")
    return redirect(url_for("workspace.customers.show", customer_id=customer.id)), 303


@bp.route("/<int:customer_id>/delete", methods=["GET", "POST"])
@requires("customers", "delete")
def delete(customer_id):
    customer = editable_or_403(Customer, customer_id)
    if request.method == "POST":
        services.soft_delete([customer.id])
        flash(_("Customer %(code)s deleted. Its history is kept.", code=customer.code), "success")
        return redirect(url_for("workspace.customers.index"))
    return render_template("customers/confirm_delete.html", customers=[customer])


@bp.route("/<int:customer_id>/merge", methods=["GET", "POST"])
@requires("customers", "edit")
def merge(customer_id):
    keep = editable_or_403(Customer, customer_id)
    other_id = request.values.get("other", type=int)
    duplicate = editable_or_403(Customer, other_id) if other_id else None
    candidates, _hidden = split_by_visibility(find_duplicates(
        {"name": keep.name, "code": None, "email": keep.email, "phone_e164": keep.phone_e164},
        exclude_id=keep.id), current_user)
    if request.method == "POST" and duplicate is not None:
        try:
            merge_customers(keep, duplicate, current_user.id)
        except services.CustomerError as error:
            flash(error.message, "danger")
            return render_template("customers/merge.html", keep=keep, duplicate=duplicate,
                                   candidates=candidates), 422
        flash(_("%(other)s merged into %(code)s.", other=duplicate.code, code=keep.code), "success")
        return redirect(url_for("workspace.customers.show", customer_id=keep.id))
    return render_template("customers/merge.html", keep=keep, duplicate=duplicate,
                           candidates=candidates)
