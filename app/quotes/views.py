"""Quote pages: list, editor (new / edit, which makes a new version once approved), show."""
import sqlalchemy as sa
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.access.visibility import editable_or_403, find_visible, visible_by_code, visible_or_404
from app.contacts.models import Contact
from app.customers.models import Customer
from app.extensions import db
from app.lists.page import list_page
from app.opportunities.models import Opportunity
from app.products.services import default_price, find_products
from app.quotes import services
from app.quotes.blueprint import bp
from app.quotes.forms import QuoteForm, parse_lines
from app.quotes.history import price_histories
from app.quotes.listing import QUOTE_LIST, quotes_query
from app.quotes.models import STATUSES, Quote
from app.selects import select_choices

EXTRA_ROWS = 5


def visible_quote(quote_id) -> Quote:
    return visible_or_404(Quote, quote_id)


def editable_quote(quote_id) -> Quote:
    return editable_or_403(Quote, quote_id)


@bp.get("/")
@requires("sales", "view")
def index():
    return list_page(QUOTE_LIST, quotes_query(current_user), "quotes/index.html", "quotes",
                     statuses=STATUSES)


def _customer_by_code(code: str, linked_id: int | None = None) -> Customer | None:
    """A customer this user may see (or the one the quote or deal already names)."""
    return visible_by_code(Customer, code, linked_id=linked_id)


def _form(quote: Quote | None) -> QuoteForm:
    data = {"customer_code": request.args.get("customer_code", "")}
    linked_id = None
    if quote is not None:
        linked_id = quote.customer_id
        data = {"customer_code": db.session.get(Customer, quote.customer_id).code,
                "contact": quote.contact_id or 0, "opportunity": quote.opportunity_id or ""}
    elif (opportunity_id := request.args.get("opportunity", type=int)) is not None:
        opportunity = visible_or_404(Opportunity, opportunity_id)
        linked_id = opportunity.customer_id
        data = {"customer_code": db.session.get(Customer, opportunity.customer_id).code,
                "currency": opportunity.currency, "opportunity": opportunity.id}
    form = QuoteForm(obj=quote, **data)
    form.linked_customer_id = linked_id
    customer = _customer_by_code(form.customer_code.data, linked_id)
    contacts = db.session.execute(sa.select(Contact.id, Contact.name).where(
        Contact.customer_id == (customer.id if customer else 0), Contact.deleted_at.is_(None))).all()
    form.contact.choices = select_choices([(0, _("(none)"))] + list(contacts))
    return form


def _contact_ids(customer_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(Contact.id).where(
        Contact.customer_id == customer_id, Contact.deleted_at.is_(None))))


def _values(form: QuoteForm) -> dict | None:
    customer = _customer_by_code(form.customer_code.data, form.linked_customer_id)
    if customer is None:
        form.customer_code.errors.append(_("No customer has this code."))
        return None
    if form.contact.data and form.contact.data not in _contact_ids(customer.id):
        form.contact.errors.append(_("Choose one of this customer's contacts."))
        return None
    opportunity_id = int(form.opportunity.data) if (form.opportunity.data or "").isdigit() else None
    if opportunity_id and find_visible(Opportunity, opportunity_id) is None:
        opportunity_id = None
    return {"customer_id": customer.id, "contact_id": form.contact.data or None,
            "opportunity_id": opportunity_id, "currency": form.currency.data,
            "valid_until": form.valid_until.data, "terms": form.terms.data or None,
            "discount_percent": form.discount_percent.data}


def _rows_of(quote: Quote | None) -> list[dict]:
    if quote is None:
        return []
    return [{"code": l.code, "quantity": f"{l.quantity.normalize():f}", "price": str(l.unit_price),
             "discount": str(l.discount_percent)} for l in quote.lines]


def _editor(quote: Quote | None):
    form = _form(quote)
    rows, problems = _rows_of(quote), {}
    if form.is_submitted():
        entries, rows, problems = parse_lines(request.form)
        values = _values(form) if form.validate() else None
        if values is not None and not problems:
            try:
                saved = (services.create_quote(values, entries, current_user.id) if quote is None
                         else services.edit_quote(quote, values, entries, current_user.id))
            except services.QuoteError as error:
                if error.line is not None:
                    problems[error.line] = str(error.message)
                elif error.field in form:
                    form[error.field].errors.append(str(error.message))
                else:
                    flash(str(error.message), "danger")
            else:
                if quote is not None and saved.id != quote.id:
                    flash(_("Version %(version)d was created; version %(old)d is kept as it was.",
                            version=saved.version, old=quote.version), "info")
                flash(_("The quote is saved."), "success")
                return redirect(url_for("workspace.quotes.show", quote_id=saved.id))
    status = 422 if form.is_submitted() else 200
    return render_template("quotes/edit.html", form=form, quote=quote,
                           rows=rows + [{}] * EXTRA_ROWS, problems=problems), status


@bp.route("/new", methods=["GET", "POST"])
@requires("sales", "create")
def new():
    return _editor(None)


@bp.route("/<int:quote_id>/edit", methods=["GET", "POST"])
@requires("sales", "edit")
def edit(quote_id):
    return _editor(editable_quote(quote_id))


@bp.get("/line-info")
@requires("sales", "view")
def line_info():
    """While quoting: matching products, each with this customer's price and its price history."""
    customer = _customer_by_code(request.args.get("customer", ""))
    currency = request.args.get("currency", "CNY")[:3]
    products = find_products(request.args.get("q", ""), limit=8)
    histories = price_histories([p.id for p in products], customer.id if customer else None)
    return jsonify([{
        "code": p.code, "name": p.name, "unit": p.unit or "",
        "price": _text(default_price(p, customer.tier if customer else None, currency)),
        "history": {key: _stats(stats) for key, stats in
                    histories.get(p.id, {}).get(currency, {}).items()},
    } for p in products])


def _text(value):
    return None if value is None else str(value)


def _stats(stats):
    if stats is None:
        return None
    return {"count": stats.count, "last": str(stats.last), "last_at": stats.last_at.date().isoformat(),
            "lowest": str(stats.lowest), "lowest_at": stats.lowest_at.date().isoformat(),
            "average": str(stats.average)}
