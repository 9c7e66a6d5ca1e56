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
    from billing.gateways.stripe_gateway import BadSignature, verify_event

    try:
        event = verify_event(request.get_data(as_text=True), request.headers.get("Stripe-Signature"))
    except BadSignature as exc:
        log.warning("refused a Stripe webhook: %s", exc)
        return jsonify(error="bad signature"), 400
    if not isinstance(event, dict) or not event.get("id") or "data" not in event:
        return jsonify(error="not an event"), 400
    try:
        outcome = stripe_sync.handle(event)
    except GatewayUnavailable as exc:
        # Re-reading the subscription failed: nothing is recorded (error → rollback), Stripe retries.
        log.warning("Stripe event %s not processed, Stripe unreachable: %s", event["id"], exc)
        return jsonify(error="Stripe unreachable, retry later"), 503
    return jsonify(received=True, outcome=outcome)
