"""Quote page, printable page, and the workflow buttons (submit, send, accept, reject, revise)."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.timeline.activity import activity_for
from app.access.permissions import can, requires
from app.approvals.services import requests_for
from app.auth.models import User
from app.contacts.models import Contact
from app.customers.models import Customer
from app.documents.services import quote_file
from app.extensions import db
from app.i18n import workspace_today
from app.orders.services import order_of_quote
from app.products.models import Product
from app.quotes import services, workflow
from app.quotes.forms import SendForm
from app.quotes.history import price_histories
from app.quotes.blueprint import bp
from app.quotes.views import editable_quote, visible_quote


def _context(quote) -> dict:
    customer = db.session.get(Customer, quote.customer_id)
    product_ids = [line.product_id for line in quote.lines if line.product_id]
    products = {p.id: p for p in db.session.query(Product).filter(Product.id.in_(product_ids))}
    contact = db.session.get(Contact, quote.contact_id) if quote.contact_id else None
    return {"quote": quote, "customer": customer, "contact": contact, "products": products,
            "owner": db.session.get(User, quote.owner_id) if quote.owner_id else None}


@bp.get("/<int:quote_id>")
@requires("sales", "view")
def show(quote_id):
    quote = visible_quote(quote_id)
    context = _context(quote)
    contact = context["contact"]
    send_form = SendForm(to=(contact.email if contact else None) or context["customer"].email)
    histories = price_histories(list(context["products"]), quote.customer_id)
    versions = services.versions_of(quote)
    return render_template(
        "quotes/show.html", **context, versions=versions,
        approvals=requests_for("quote", quote.id), send_form=send_form, histories=histories,
        order=order_of_quote(quote.id),
        past_validity=services.is_past_validity(quote, workspace_today()),
        show_margin=can(current_user, "margins", "view"),
        names=dict(db.session.query(User.id, User.name).all()),
        activity=activity_for("quote", quote.id, related_ids=[v.id for v in versions]))


@bp.get("/<int:quote_id>/print")
@requires("sales", "view")
def print_page(quote_id):
    quote = visible_quote(quote_id)
    return render_template("quotes/print.html", **_context(quote))


def _act(quote, action):
    try:
        action()
    except services.QuoteError as error:
        flash(str(error.message), "danger")
        return redirect(url_for("workspace.quotes.show", quote_id=quote.id)), 303
    return None


@bp.post("/<int:quote_id>/submit")
@requires("sales", "edit")
def submit(quote_id):
    quote = editable_quote(quote_id)
    if (failed := _act(quote, lambda: workflow.submit(quote, current_user.id))) is not None:
        return failed
    flash(_("Sent for approval.") if quote.status == "pending_approval"
          else _("No approval is needed: the quote is approved."), "success")
    return redirect(url_for("workspace.quotes.show", quote_id=quote.id))


@bp.post("/<int:quote_id>/send")
@requires("sales", "edit")
def send(quote_id):
    quote = editable_quote(quote_id)
    form = SendForm()
    if not form.validate_on_submit():
        flash(_("Enter the e-mail address to send the quote to."), "danger")
        return redirect(url_for("workspace.quotes.show", quote_id=quote.id)), 303
    action = lambda: workflow.send(quote, form.to.data, form.message.data, current_user.id,  # noqa: E731
                                   pdf=quote_file(quote, g.tenant))
    if (failed := _act(quote, action)) is not None:
        return failed
    flash(_("The quote was sent to %(to)s.", to=form.to.data), "success")
    return redirect(url_for("workspace.quotes.show", quote_id=quote.id))


@bp.post("/<int:quote_id>/accept")
@requires("sales", "edit")
def accept(quote_id):
    quote = editable_quote(quote_id)
    result = {}
    if (failed := _act(quote, lambda: result.update(order=workflow.accept(quote, current_user.id)))):
        return failed
    flash(_("Accepted: order %(number)s is created.", number=result["order"].number), "success")
    return redirect(url_for("workspace.quotes.show", quote_id=quote.id))


@bp.post("/<int:quote_id>/reject")
@requires("sales", "edit")
def reject(quote_id):
    quote = editable_quote(quote_id)
    action = lambda: workflow.reject(quote, request.form.get("reason"), current_user.id)  # noqa: E731
    if (failed := _act(quote, action)) is not None:
        return failed
    flash(_("The quote is marked as rejected by the customer."), "success")
    return redirect(url_for("workspace.quotes.show", quote_id=quote.id))


@bp.post("/<int:quote_id>/revise")
@requires("sales", "edit")
def revise(quote_id):
    quote = editable_quote(quote_id)
    result = {}
    if (failed := _act(quote, lambda: result.update(new=services.revise(quote, current_user.id)))):
        return failed
    return redirect(url_for("workspace.quotes.edit", quote_id=result["new"].id))
