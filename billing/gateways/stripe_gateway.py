"""Stripe: the one module that imports `stripe`.

Checkout Session for the subscription (cards), Checkout in payment mode for a
single open invoice (cards, Alipay, WeChat Pay), the Customer Portal, webhook
signature checks and fetching a subscription for `flask billing sync`.
Amounts go to Stripe in minor units (all four currencies have two decimals).
"""
import json
import logging
from datetime import timedelta
from decimal import Decimal

import stripe
from flask import current_app

from billing.clock import now
from billing.gateways import GatewayRefused, GatewayUnavailable, PaymentStart
from billing.plans import price_of, seat_price_of

# The Stripe API version this code is written against (object shapes such as
# items.data.current_period_end and invoice.parent): every request names it, and the
# webhook endpoint must be created with the same version (docs/BILLING.md).
API_VERSION = "2026-10-28.endive"
log = logging.getLogger(__name__)

SINGLE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]
# Marks the product and subscription item that carry the extra seats (quantity = extra seats).
SEAT_MARK = {"kehu": "extra_seats"}
SEAT_PRODUCT = "Kehu CRM extra user"


class BadSignature(ValueError):
    pass


def client() -> stripe.StripeClient:
    """A client for the configured key and the pinned API version; STRIPE_API_BASE points it at
    another server (a local fake such as localstripe on staging); tests inject an HTTP client."""
    http_client = current_app.extensions.get("stripe_http_client")
    base = current_app.config.get("STRIPE_API_BASE")
    return stripe.StripeClient(current_app.config["STRIPE_SECRET_KEY"], http_client=http_client,
                               stripe_version=API_VERSION, base_addresses={"api": base} if base else None,
                               max_network_retries=0 if http_client else 2)


def minor_units(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def verify_event(payload: str, signature: str | None):
    """The parsed body (an event if it is a dict with the event's fields), if the
    Stripe-Signature header matches the webhook secret."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise BadSignature("no webhook secret is configured")
    try:
        # Only the signature (and its age) here: construct_event would also build an Event and
        # fail with a 500 on a signed body that is valid JSON but no object.
        stripe.WebhookSignature.verify_header(payload, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
    try:
        return json.loads(payload)
    except ValueError:
        return None  # signed but not JSON: the webhook refuses it as "not an event"


def is_seat_item(item: dict) -> bool:
    """Whether a subscription item (its product expanded or not) carries the extra seats."""
    product = (item.get("price") or {}).get("product")
    product_marks = (product.get("metadata") or {}) if isinstance(product, dict) else {}
    return SEAT_MARK["kehu"] in ((item.get("metadata") or {}).get("kehu"), product_marks.get("kehu"))


def _id_of(expandable) -> str:
    """The id of an expandable field, whether Stripe sent the object or just its id."""
    return expandable["id"] if isinstance(expandable, dict) else expandable


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        raise _gateway_error(exc) from exc


def _gateway_error(exc: stripe.StripeError) -> GatewayUnavailable:
    """Network trouble, rate limits and Stripe's own 5xx are "try again later"; anything else is
    a real refusal (bad request, wrong key, declined card): logged with Stripe's code and
    request id, so staff can find it in the Stripe dashboard."""
    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError)) or (
            isinstance(exc, stripe.APIError) and (exc.http_status or 500) >= 500):
        return GatewayUnavailable(str(exc))
    log.error("Stripe refused a request: %s (%s, code %s, HTTP %s, request %s)", exc.user_message or exc,
              type(exc).__name__, exc.code, exc.http_status, exc.request_id)
    return GatewayRefused(str(exc))


def _product(product_id: str, name: str, metadata: dict | None = None) -> str:
    """One Stripe Product per plan (and one for extra users) under a fixed id, made the first
    time and reused after: a plan change or checkout never adds another product."""
    params = {"id": product_id, "name": name, **({"metadata": metadata} if metadata else {})}
    try:
        client().v1.products.create(params=params)
    except stripe.InvalidRequestError as exc:
        if exc.code != "resource_already_exists":
            raise _gateway_error(exc) from exc
    except stripe.StripeError as exc:
        raise _gateway_error(exc) from exc
    return product_id


def plan_product(plan) -> str:
    return _product(f"kehu_plan_{plan.key}", f"Kehu CRM {plan.name}")


def seat_product() -> str:
    return _product("kehu_extra_users", SEAT_PRODUCT, SEAT_MARK)


def tax_rate_ids() -> list[str]:
    """The Stripe tax rate for BILLING_TAX_RATE (tax added on top, as on bank-transfer invoices):
    STRIPE_TAX_RATE_ID if set, else the one this app made (metadata kehu=tax, same percentage),
    made on first use. No rate when the rate is zero."""
    rate = Decimal(current_app.config["BILLING_TAX_RATE"])
    if rate <= 0:
        return []
    if current_app.config.get("STRIPE_TAX_RATE_ID"):
        return [current_app.config["STRIPE_TAX_RATE_ID"]]
    percentage = rate * 100
    found = _call(client().v1.tax_rates.list, params={"active": True, "inclusive": False, "limit": 100})
    for tax_rate in found.to_dict().get("data") or []:
        if (tax_rate.get("metadata") or {}).get("kehu") == "tax" and Decimal(str(tax_rate["percentage"])) == percentage:
            return [tax_rate["id"]]
    made = _call(client().v1.tax_rates.create, params={
        "display_name": "Tax", "percentage": str(percentage.normalize()), "inclusive": False,
        "metadata": {"kehu": "tax"}})
    return [made.id]


def _changed_in_stripe(subscription) -> None:
    """Note when we changed the Stripe subscription (after Stripe accepted the change): subscription
    events created before this show the old state, so the webhook re-reads the subscription instead."""
    subscription.stripe_changed_at = int(now().timestamp())


class StripeGateway:
    name = "stripe"

    def start_subscription(self, subscription, success_url, cancel_url) -> PaymentStart:
        plan = subscription.plan
        amount = price_of(plan, subscription.currency, subscription.interval)
        price = plan.price(subscription.currency, subscription.interval)
        line = ({"price": price.stripe_price_id, "quantity": 1} if price.stripe_price_id else {
            "price_data": self._price_data(plan_product(plan), subscription.currency, amount,
                                           subscription.interval),
            "quantity": 1})
        line_items = [line]
        seat_amount = seat_price_of(plan, subscription.currency, subscription.interval)
        if subscription.extra_seats and seat_amount is not None:
            line_items.append({"quantity": subscription.extra_seats, "price_data": self._price_data(
                seat_product(), subscription.currency, seat_amount, subscription.interval)})
        metadata = {"subscription_id": str(subscription.id), "tenant_slug": subscription.tenant_slug}
        # The same tax as on a bank-transfer invoice, on every item of the subscription (later
        # plan and seat items included).
        sub_data = {"metadata": metadata}
        if tax_rates := tax_rate_ids():
            sub_data["default_tax_rates"] = tax_rates
        if subscription.status == "trialing" and subscription.trial_ends_at > now() + timedelta(days=2):
            sub_data["trial_end"] = int(subscription.trial_ends_at.timestamp())
        params = {"mode": "subscription", "line_items": line_items, "success_url": success_url,
                  "cancel_url": cancel_url, "client_reference_id": str(subscription.id),
                  "metadata": metadata, "subscription_data": sub_data,
                  "payment_method_types": ["card"]}
        if subscription.stripe_customer_id:
            params["customer"] = subscription.stripe_customer_id
        elif subscription.billing_email:
            params["customer_email"] = subscription.billing_email
        session = _call(client().v1.checkout.sessions.create, params=params)
        return PaymentStart(redirect_url=session.url)

    def pay_invoice(self, invoice, subscription, success_url, cancel_url) -> PaymentStart:
        params = {
            "mode": "payment", "success_url": success_url, "cancel_url": cancel_url,
            "payment_method_types": SINGLE_PAYMENT_METHODS,
            "payment_method_options": {"wechat_pay": {"client": "web"}},
            "client_reference_id": str(subscription.id),
            "metadata": {"invoice_id": str(invoice.id), "subscription_id": str(subscription.id)},
            "line_items": [{"quantity": 1, "price_data": {
                "currency": invoice.currency.lower(), "unit_amount": minor_units(invoice.total),
                "product_data": {"name": f"Kehu CRM invoice {invoice.number}"}}}],
        }
        session = _call(client().v1.checkout.sessions.create, params=params)
        return PaymentStart(redirect_url=session.url)

    def portal_url(self, subscription, return_url):
        if not subscription.stripe_customer_id:
            return None
        session = _call(client().v1.billing_portal.sessions.create, params={
            "customer": subscription.stripe_customer_id, "return_url": return_url})
        return session.url

    def change_seats(self, subscription, extra_seats):
        """The seat item's new quantity; Stripe invoices added seats at once, credits removed ones."""
        behavior = "always_invoice" if extra_seats > subscription.extra_seats else "create_prorations"
        item_id = subscription.stripe_seat_item_id or self._find_seat_item(subscription)
        if item_id:
            _call(client().v1.subscription_items.update, item_id,
                  params={"quantity": extra_seats, "proration_behavior": behavior})
        else:
            item_id = self._add_seat_item(subscription, extra_seats, behavior)
        subscription.stripe_seat_item_id = item_id
        _changed_in_stripe(subscription)
        return None, f"Stripe item {item_id} quantity {extra_seats}, {behavior}"

    def set_cancel_at_period_end(self, subscription, cancel):
        """Stripe stops renewing (or renews again); without this its next event would undo
        the cancellation made here."""
        _call(client().v1.subscriptions.update, subscription.stripe_subscription_id,
              params={"cancel_at_period_end": cancel})
        _changed_in_stripe(subscription)
        return f"Stripe cancel_at_period_end={str(cancel).lower()}"

    def cancel_now(self, subscription):
        _call(client().v1.subscriptions.cancel, subscription.stripe_subscription_id)
        _changed_in_stripe(subscription)
        return "Stripe subscription canceled"

    def _find_seat_item(self, subscription) -> str | None:
        """The seat item Checkout created (its product is marked), if there is one."""
        for item in self._items(subscription):
            if is_seat_item(item):
                return item["id"]
        return None

    def _add_seat_item(self, subscription, quantity: int, behavior: str) -> str:
        product_id = seat_product()
        amount = seat_price_of(subscription.plan, subscription.currency, subscription.interval)
        item = _call(client().v1.subscription_items.create, params={
            "subscription": subscription.stripe_subscription_id, "quantity": quantity,
            "proration_behavior": behavior, "metadata": SEAT_MARK,
            "price_data": {"currency": subscription.currency.lower(), "product": product_id,
                           "unit_amount": minor_units(amount),
                           "recurring": {"interval": subscription.interval}}})
        return item.id

    def change_plan(self, subscription, plan, interval):
        """The plan item (and the seat item when its price changes) moved to the new prices; Stripe prorates.

        An upgrade (a net charge) is invoiced and charged at once (always_invoice), a
        downgrade becomes credit on the next Stripe invoice (create_prorations). Stripe
        wants all items of a subscription on one interval, so they change in one request.
        """
        from billing.changes import proration, seats_after

        behavior = "always_invoice" if proration(subscription, plan, interval).net > 0 else "create_prorations"
        currency = subscription.currency
        items = self._items(subscription)
        seat_item = next((item for item in items if item["id"] == subscription.stripe_seat_item_id
                          or is_seat_item(item)), None)
        plan_item = next((item for item in items if item is not seat_item), None)

        price = plan.price(currency, interval)
        plan_change = {"price": price.stripe_price_id} if price.stripe_price_id else {
            "price_data": self._price_data(plan_product(plan), currency, price.amount, interval)}
        if plan_item is not None:
            plan_change["id"] = plan_item["id"]
        changes = [plan_change]

        extra = seats_after(plan, subscription.extra_seats)
        old_seat = seat_price_of(subscription.plan, currency, subscription.interval)
        new_seat = seat_price_of(plan, currency, interval)
        seat_id = seat_item["id"] if seat_item is not None else None
        if seat_item is not None and new_seat is None:
            # The new plan sells no extra users (so none are left): the item goes, Stripe credits it.
            changes.append({"id": seat_id, "deleted": True})
            seat_id = None
        elif seat_item is not None and (interval != subscription.interval or new_seat != old_seat
                                        or extra != subscription.extra_seats):
            product_id = _id_of(seat_item["price"]["product"])
            changes.append({"id": seat_id, "quantity": extra,
                            "price_data": self._price_data(product_id, currency, new_seat, interval)})
        elif seat_item is None and extra:
            # Extra users here but no seat item in Stripe (it was removed there): add one.
            changes.append({"quantity": extra, "metadata": SEAT_MARK,
                            "price_data": self._price_data(seat_product(), currency, new_seat, interval)})

        updated = _call(client().v1.subscriptions.update, subscription.stripe_subscription_id,
                        params={"items": changes, "proration_behavior": behavior}).to_dict()
        if seat_item is None and extra:
            seat_id = next((item["id"] for item in (updated.get("items") or {}).get("data") or []
                            if is_seat_item(item)), None)
        subscription.stripe_seat_item_id = seat_id
        _changed_in_stripe(subscription)
        plan_note = f"Stripe item {plan_item['id']}" if plan_item is not None else "new Stripe item"
        seat_note = f", seat item {seat_item['id']}" if seat_item is not None and len(changes) > 1 else ""
        return None, f"{plan_note} → {plan.key}/{interval}{seat_note}, {behavior}"

    def _items(self, subscription) -> list[dict]:
        """The Stripe subscription's items, products expanded (the seat product is marked)."""
        found = _call(client().v1.subscriptions.retrieve, subscription.stripe_subscription_id,
                      params={"expand": ["items.data.price.product"]}).to_dict()
        return (found.get("items") or {}).get("data") or []

    @staticmethod
    def _price_data(product_id: str, currency: str, amount: Decimal, interval: str) -> dict:
        return {"currency": currency.lower(), "product": product_id, "unit_amount": minor_units(amount),
                "recurring": {"interval": interval}}

    def fetch_subscription(self, stripe_subscription_id: str) -> dict:
        """The subscription as Stripe has it now, products expanded (Checkout marks the seat product)."""
        found = _call(client().v1.subscriptions.retrieve, stripe_subscription_id,
                      params={"expand": ["items.data.price.product"]})
        return found.to_dict()

    def sync(self, subscription) -> str:
        from billing.stripe_sync import apply_subscription_object

        if not subscription.stripe_subscription_id:
            return "no Stripe subscription linked"
        data = self.fetch_subscription(subscription.stripe_subscription_id)
        return apply_subscription_object(subscription, data, created=int(now().timestamp()),
                                         actor="stripe:sync")
