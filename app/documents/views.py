"""Download a document as PDF, checked exactly like the page it belongs to."""
from flask import Blueprint, abort, g

from app.access.permissions import requires
from app.documents import services
from app.quotes.views import visible_quote
from billing import invoices, subscriptions
from billing.features import requires_feature

bp = Blueprint("documents", __name__)


@bp.get("/billing/invoices/<int:invoice_id>/pdf")
@requires("admin", "admin")
def invoice_pdf(invoice_id):
    subscription = subscriptions.for_tenant(g.tenant.id)
    invoice = invoices.issued_invoice_of(subscription, invoice_id) if subscription else None
    if invoice is None:
        abort(404)
    return services.send_pdf(*services.invoice_file(invoice, g.tenant))


@bp.get("/quotes/<int:quote_id>/pdf")
@requires("sales", "view")
@requires_feature("pipeline")
def quote_pdf(quote_id):
    return services.send_pdf(*services.quote_file(visible_quote(quote_id), g.tenant))
