"""Stripe: the one module that imports `stripe`.

Checkout Session for the subscription (cards), Checkout in payment mode for a
single open invoice (cards, Alipay, WeChat Pay), the Customer Portal, webhook
signature checks and fetching a subscription for `flask billing sync`.
Amounts go to Stripe in minor units (all four currencies have two decimals).
"""
import json
from datetime import timedelta
from decimal import Decimal

import stripe
from flask import current_app

from billing.clock import now
from billing.gateways import GatewayUnavailable, PaymentStart
from billing.plans import price_of

SINGLE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]


class BadSignature(ValueError):
    pass


def client() -> stripe.StripeClient:
    """A client for the configured key; tests inject a local HTTP client (no network)."""
    http_client = current_app.extensions.get("stripe_http_client")
    return stripe.StripeClient(current_app.config["STRIPE_SECRET_KEY"], http_client=http_client,
                               max_network_retries=0 if http_client else 2)


def minor_units(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def verify_event(payload: str, signature: str | None) -> dict:
    """The event as a plain dict, if the Stripe-Signature header matches the webhook secret."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise BadSignature("no webhook secret is configured")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
    return json.loads(payload)


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        raise GatewayUnavailable(str(exc)) from exc


class StripeGateway:
    name = "stripe"

    def start_subscription(self, subscription, success_url, cancel_url) -> PaymentStart:
        plan = subscription.plan
        amount = price_of(plan, subscription.currency, subscription.interval)
        price = plan.price(subscription.currency, subscription.interval)
        line = ({"price": price.stripe_price_id, "quantity": 1} if price.stripe_price_id else {
            "price_data": {"currency": subscription.currency.lower(), "unit_amount": minor_units(amount),
                           "recurring": {"interval": subscription.interval},
                           "product_data": {"name": f"Kehu CRM {plan.name}"}},
            "quantity": 1})
        metadata = {"subscription_id": str(subscription.id), "tenant_slug": subscription.tenant_slug}
        sub_data = {"metadata": metadata}
        if subscription.status == "trialing" and subscription.trial_ends_at > now() + timedelta(days=2):
            sub_data["trial_end"] = int(subscription.trial_ends_at.timestamp())
        params = {"mode": "subscription", "line_items": [line], "success_url": success_url,
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

    def fetch_subscription(self, stripe_subscription_id: str) -> dict:
        found = _call(client().v1.subscriptions.retrieve, stripe_subscription_id)
        return found.to_dict()

    def sync(self, subscription) -> str:
        from billing.stripe_sync import apply_subscription_object

        if not subscription.stripe_subscription_id:
            return "no Stripe subscription linked"
        data = self.fetch_subscription(subscription.stripe_subscription_id)
        return apply_subscription_object(subscription, data, created=int(now().timestamp()),
                                         actor="stripe:sync")
