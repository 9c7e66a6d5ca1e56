"""POST /billing/stripe/webhook: verify the signature, then hand the event to stripe_sync."""
import logging

from flask import Blueprint, jsonify, request

from app.extensions import csrf
from billing import stripe_sync
from billing.gateways import GatewayUnavailable

log = logging.getLogger(__name__)
bp = Blueprint("stripe_webhook", __name__)


@bp.post("/billing/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    from billing.gateways.stripe_gateway import API_VERSION, BadSignature, verify_event

    try:
        event = verify_event(request.get_data(as_text=True), request.headers.get("Stripe-Signature"))
    except BadSignature as exc:
        log.warning("refused a Stripe webhook: %s", exc)
        return jsonify(error="bad signature"), 400
    if not _is_event(event):
        # Validly signed but not an event object (a list, a string, data.object missing): refused
        # here, so no handler ever meets a shape it cannot read.
        return jsonify(error="not an event"), 400
    if event.get("api_version") not in (None, API_VERSION):
        log.warning("Stripe event %s has API version %s, this code reads %s: set the webhook endpoint's "
                    "version (docs/BILLING.md)", event["id"], event.get("api_version"), API_VERSION)
    try:
        outcome = stripe_sync.handle(event)
    except GatewayUnavailable as exc:
        # Re-reading the subscription failed: nothing is recorded (error → rollback), Stripe retries.
        log.warning("Stripe event %s not processed, Stripe unreachable: %s", event["id"], exc)
        return jsonify(error="Stripe unreachable, retry later"), 503
    return jsonify(received=True, outcome=outcome)


def _is_event(event) -> bool:
    data = event.get("data") if isinstance(event, dict) else None
    return (isinstance(event, dict) and isinstance(event.get("id"), str) and bool(event["id"])
            and isinstance(event.get("type"), str) and isinstance(data, dict)
            and isinstance(data.get("object"), dict))
