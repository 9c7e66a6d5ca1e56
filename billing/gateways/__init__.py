"""Payment gateways: one small interface, two implementations.

`manual` (bank transfer: an invoice with payment instructions, provider staff
mark it paid) is the default; `stripe` is used when STRIPE_SECRET_KEY is set.
"""
from dataclasses import dataclass
from typing import Protocol

from flask import current_app


class GatewayUnavailable(RuntimeError):
    """The payment provider could not be reached; nothing was changed, try again later."""


class GatewayRefused(GatewayUnavailable):
    """The payment provider answered with an error (a bad request, a wrong key, a declined
    card): nothing was changed, and the error is logged for the provider's staff. A subclass,
    so every caller that undoes nothing on GatewayUnavailable does the same here."""


@dataclass
class PaymentStart:
    redirect_url: str | None = None  # send the customer there (Stripe Checkout)
    invoice: object | None = None  # or: this invoice was issued (bank transfer)


class Gateway(Protocol):
    name: str

    def start_subscription(self, subscription, success_url: str, cancel_url: str) -> PaymentStart: ...

    def pay_invoice(self, invoice, subscription, success_url: str, cancel_url: str) -> PaymentStart: ...

    def portal_url(self, subscription, return_url: str) -> str | None: ...

    def sync(self, subscription) -> str: ...

    def change_seats(self, subscription, extra_seats: int) -> tuple[object | None, str]:
        """Bill the change of extra seats; (invoice issued or None, a note for the history)."""

    def change_plan(self, subscription, plan, interval: str) -> tuple[object | None, str]:
        """Bill the switch to plan/interval (the subscription still has the old ones);
        (invoice issued or None, a note for the history)."""

    def set_cancel_at_period_end(self, subscription, cancel: bool) -> str:
        """Schedule (or undo) the end of the subscription at the end of its period; a note."""

    def cancel_now(self, subscription) -> str:
        """End the subscription at once; a note for the history."""


def gateway_for(subscription) -> Gateway:
    """The gateway that bills this subscription: Stripe once it is linked to a Stripe
    subscription, the manual gateway otherwise (trials, bank transfer)."""
    linked = subscription.gateway == "stripe" and subscription.stripe_subscription_id
    return get_gateway("stripe" if linked else "manual")


def get_gateway(name: str | None = None) -> Gateway:
    """The named gateway, or the configured one (Stripe when a secret key is set)."""
    name = name or ("stripe" if current_app.config.get("STRIPE_SECRET_KEY") else "manual")
    if name == "stripe":
        from billing.gateways.stripe_gateway import StripeGateway
        return StripeGateway()
    from billing.gateways.manual import ManualGateway
    return ManualGateway()
