"""The tenant admin's billing pages inside the workspace (/t/<slug>/billing/…).

Reachable while the tenant is suspended (to pay) or canceled (to read invoices).
"""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access.permissions import requires
from app.links import external_url
from billing import bank, changes, invoices, plans, seats, subscriptions
from billing.gateways import GatewayRefused, GatewayUnavailable, gateway_for, get_gateway
from billing.invoice_models import Invoice
from billing.usage import usage_of

bp = Blueprint("billing", __name__, url_prefix="/billing")


def _subscription():
    """The current tenant's subscription (the views are for its admins only)."""
    subscription = subscriptions.for_tenant(g.tenant.id)
    if subscription is None:
        abort(404)
    return subscription


def _page(subscription, status=200, error=None):
    return render_template(
        "billing/overview.html", tenant=g.tenant, subscription=subscription, error=error,
        limits=subscriptions.limits_now(subscription), usage=usage_of(g.tenant),
        plan_seats=subscriptions.effective_plan(subscription).seat_limit,
        seat_price=seats.seat_price(subscription),
        invoices=invoices.invoices_of(subscription.id), plans=plans.paid_plans(),
        gateway=get_gateway().name, billed_by_stripe=gateway_for(subscription).name == "stripe",
    ), status


def _gateway_failed(subscription, exc):
    """Stripe unreachable: try again later (503). Stripe refused (logged by the gateway): say so
    (502), a retry would be refused the same way."""
    if isinstance(exc, GatewayRefused):
        return _page(subscription, 502, _("The payment service refused this request. Nothing was charged; our billing staff have been told. Please try again later or pay by bank transfer."))
    return _page(subscription, 503, _("The payment service cannot be reached right now. Nothing was charged; please try again in a few minutes."))


@bp.get("/")
@requires("admin", "admin")
def overview():
    return _page(_subscription())


@bp.post("/pay")
@requires("admin", "admin")
def pay():
    """Pay the subscription: by card (Stripe Checkout) or by an invoice for bank transfer.

    A subscription Stripe already bills is paid through Stripe's own pages (the Customer
    Portal: its open invoice, its card): a second Checkout would start a second Stripe
    subscription and bill the tenant twice.
    """
    subscription = _subscription()
    if subscription.status in ("canceled", "purged"):
        abort(403)
    if gateway_for(subscription).name == "stripe":
        return redirect(url_for("workspace.billing.portal"), 303)
    back = external_url("workspace.billing.overview")
    by_card = get_gateway().name == "stripe" and request.form.get("method") != "bank_transfer"
    try:
        start = get_gateway("stripe" if by_card else "manual").start_subscription(subscription, back + "?paid=1", back)
    except GatewayUnavailable as exc:
        return _gateway_failed(subscription, exc)
    if start.redirect_url:
        return redirect(start.redirect_url, 303)
    flash(_("Invoice %(number)s is issued. Please pay it by bank transfer.", number=start.invoice.number), "info")
    return redirect(url_for("workspace.billing.invoice", invoice_id=start.invoice.id))


@bp.post("/invoices/<int:invoice_id>/pay")
@requires("admin", "admin")
def pay_invoice(invoice_id):
    subscription = _subscription()
    invoice = _invoice_of(subscription, invoice_id)
    if invoice.status != "open" or get_gateway().name != "stripe":
        abort(404)
    back = external_url("workspace.billing.invoice", invoice_id=invoice.id)
    try:
        start = get_gateway().pay_invoice(invoice, subscription, back + "?paid=1", back)
    except GatewayUnavailable as exc:
        return _gateway_failed(subscription, exc)
    return redirect(start.redirect_url, 303)


@bp.get("/portal")
@requires("admin", "admin")
def portal():
    subscription = _subscription()
    try:
        url = get_gateway(subscription.gateway).portal_url(
            subscription, external_url("workspace.billing.overview"))
    except GatewayUnavailable as exc:
        return _gateway_failed(subscription, exc)
    if not url:
        abort(404)
    return redirect(url, 303)


@bp.post("/plan")
@requires("admin", "admin")
def change_plan():
    subscription = _subscription()
    plan = plans.plan_by_key(request.form.get("plan", ""))
    interval = request.form.get("interval", subscription.interval)
    if plan is None:
        return _page(subscription, 422, _("Please choose one of the plans offered."))
    try:
        invoice = changes.change_plan(subscription, g.tenant, plan, interval,
                                      actor=f"tenant:{current_user.email}")
    except changes.PlanChangeRefused as exc:
        return _page(subscription, 422, str(exc))
    except GatewayUnavailable as exc:
        return _gateway_failed(subscription, exc)
    flash(_("You are now on the %(plan)s plan.", plan=plan.name), "success")
    if invoice is not None:
        return redirect(url_for("workspace.billing.invoice", invoice_id=invoice.id))
    return redirect(url_for("workspace.billing.overview"))


@bp.post("/seats")
@requires("admin", "admin")
def change_seats():
    subscription = _subscription()
    try:
        wanted = seats.parse_extra_seats(request.form.get("extra_seats"))
        invoice = seats.change_extra_seats(subscription, g.tenant, wanted, actor=f"tenant:{current_user.email}")
    except seats.SeatChangeRefused as exc:
        return _page(subscription, 422, str(exc))
    except GatewayUnavailable as exc:
        return _gateway_failed(subscription, exc)
    flash(_("You now have %(n)d extra users.", n=wanted), "success")
    if invoice is not None:
        return redirect(url_for("workspace.billing.invoice", invoice_id=invoice.id))
    return redirect(url_for("workspace.billing.overview"))


@bp.post("/cancel")
@requires("admin", "admin")
def cancel():
    subscription = _subscription()
    try:
        if request.form.get("undo"):
            subscriptions.undo_cancel(subscription, actor=f"tenant:{current_user.email}")
            flash(_("Your subscription continues."), "success")
        else:
            subscriptions.cancel(subscription, at_period_end=True,
                                 actor=f"tenant:{current_user.email}", reason="canceled by the tenant admin")
            flash(_("Your subscription ends at the end of the current period. You can undo this until then."), "info")
    except subscriptions.SubscriptionError:
        return _page(subscription, 422, _("This subscription cannot be changed that way."))
    except GatewayUnavailable as exc:
        return _gateway_failed(subscription, exc)
    return redirect(url_for("workspace.billing.overview"))


def _invoice_of(subscription, invoice_id) -> Invoice:
    return invoices.issued_invoice_of(subscription, invoice_id) or abort(404)


@bp.get("/invoices/<int:invoice_id>")
@requires("admin", "admin")
def invoice(invoice_id):
    subscription = _subscription()
    found = _invoice_of(subscription, invoice_id)
    return render_template("billing/invoice.html", invoice=found, bank_details=bank.details_for(found.currency),
                           subscription=subscription, tenant=g.tenant, gateway=get_gateway().name)
