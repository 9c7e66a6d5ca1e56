"""A quote's life after drafting: approval, sending by e-mail, acceptance (→ order), rejection.

draft → pending_approval (a rule tripped) or approved → sent → accepted | rejected;
approved/sent → expired after the validity date. Approval goes through the
generic app.approvals workflow; quotes register as its "quote" document type.
"""
import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from app import mail
from app.approvals import services as approvals
from app.approvals.registry import DocumentType, register
from app.extensions import db
from app.forecast.rates import convert, rate_table
from app.i18n import N_
from app.notifications import notify
from app.quotes.models import Quote, QuoteLine
from app.quotes.services import QuoteError, totals_of
from app.timeline.services import add_entry
from tenants.context import require_tenant


def _require(quote: Quote, *statuses: str) -> None:
    if not quote.is_current or quote.status not in statuses:
        raise QuoteError("status", _l("This cannot be done to a quote that is %(status)s.",
                                      status=quote.status.replace("_", " ")))


def metrics_of(quote: Quote) -> dict:
    """What approval rules look at: the overall discount (%) and the total in our currency."""
    return {"discount_percent": totals_of(quote).effective_discount_percent,
            "amount": convert(quote.total, quote.currency, rate_table())}


def submit(quote: Quote, actor_id: int | None) -> Quote:
    """Ask for approval if a rule says so, else the quote is approved at once."""
    _require(quote, "draft")
    if not quote.lines:
        raise QuoteError("lines", _l("Add at least one line first."))
    requests = approvals.request_approval("quote", quote.id, metrics_of(quote), quote.unit_id,
                                          actor_id)
    quote.status = "pending_approval" if requests else "approved"
    db.session.flush()
    return quote


def _decided(quote_id: int, approved: bool, comment: str | None, actor_id: int | None) -> None:
    quote = db.session.get(Quote, quote_id)
    quote.status = "approved" if approved else "draft"
    message = N_("Quote %(label)s approved") if approved else N_(
        "Quote %(label)s rejected by the approver")
    add_entry(customer_id=quote.customer_id, kind="quote", user_id=actor_id,
              event=(message, {"label": quote.label}), body=comment, ref_type="quote",
              ref_id=quote.id, subject=("quote", quote.id))
    db.session.flush()
    _tell_requesters(quote, approved, comment, actor_id)


def _tell_requesters(quote: Quote, approved: bool, comment: str | None, actor_id: int | None):
    """The quote's owner and whoever asked for the approval hear the decision."""
    asked = {r.requested_by_id for r in approvals.requests_for("quote", quote.id)}
    if approved:
        message, params = N_("Quote %(label)s was approved"), {"label": quote.label}
    else:
        message = N_("Quote %(label)s was rejected: %(comment)s")
        params = {"label": quote.label, "comment": comment or ""}
    notify({quote.owner_id, *asked}, "quote_decided", message, params,
           subject=("quote", quote.id), actor_id=actor_id)


def _describe(quote_id: int) -> tuple[str, str]:
    quote = db.session.get(Quote, quote_id)
    return (str(_l("Quote %(label)s", label=quote.label)),
            url_for("workspace.quotes.show", quote_id=quote_id, tenant_slug=require_tenant().slug))


register(DocumentType("quote", _l("Quote"), {
    "discount_percent": _l("Overall discount (%)"),
    "amount": _l("Total in the workspace currency"),
}, _describe, _decided))


def _mark_quoted(quote: Quote) -> None:
    """From now on the lines' prices count in the price history."""
    db.session.execute(sa.update(QuoteLine).where(QuoteLine.quote_id == quote.id,
                                                  QuoteLine.quoted_at.is_(None))
                       .values(quoted_at=sa.func.now()))
    db.session.expire(quote, ["lines"])


def send(quote: Quote, to: str, message: str, actor_id: int | None,
         pdf: tuple[bytes, str] | None = None) -> None:
    """E-mail the quote to the customer, with its PDF (bytes, file name) when given, from the
    user who sends it (Reply-To, signature); the outbox logs it on the customer's timeline."""
    _require(quote, "approved", "sent")
    from app.branding.services import get_branding

    text = render_template("quotes/mail_quote.txt", quote=quote, message=message,
                           branding=get_branding())
    attachments = ((pdf[0], pdf[1], "application/pdf"),) if pdf else ()
    mail.send(to, _("Quotation %(label)s", label=quote.label), text, attachments=attachments,
              sender_id=actor_id, customer_id=quote.customer_id, contact_id=quote.contact_id,
              ref=("quote", quote.id), note=message)
    quote.status, quote.sent_at = "sent", sa.func.now()
    _mark_quoted(quote)
    db.session.flush()


def accept(quote: Quote, actor_id: int | None):
    """The customer accepted: the quote becomes an order; its deal, if open, is won."""
    from app.opportunities.services import close_as_won
    from app.orders.services import order_from_quote

    _require(quote, "approved", "sent")
    quote.status = "accepted"
    _mark_quoted(quote)
    order = order_from_quote(quote, actor_id)
    if quote.opportunity_id:
        close_as_won(quote.opportunity_id, actor_id)
    return order


def reject(quote: Quote, reason: str | None, actor_id: int | None) -> None:
    """The customer declined."""
    _require(quote, "approved", "sent")
    quote.status = "rejected"
    add_entry(customer_id=quote.customer_id, kind="quote", user_id=actor_id,
              event=(N_("Quote %(label)s rejected by the customer"), {"label": quote.label}),
              body=reason or None, ref_type="quote", ref_id=quote.id, subject=("quote", quote.id))
    db.session.flush()
