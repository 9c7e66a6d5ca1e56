"""A local Stripe for tests: the real `stripe` library talks to this HTTP client, no network.

Responses are Stripe's own example objects (stripe_fixtures.json beside this file,
from the public stripe/openapi repository)
with ids, amounts and statuses adjusted per test; webhooks are signed with a
test secret exactly as Stripe signs them (t=…,v1=HMAC-SHA256).
"""
import copy
import hashlib
import hmac
import json
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import stripe

FIXTURES = json.loads((Path(__file__).parent / "stripe_fixtures.json").read_text())["resources"]
WEBHOOK_SECRET = "whsec_test_" + "k" * 24


def fixture(kind: str, **changes) -> dict:
    obj = copy.deepcopy(FIXTURES[kind])
    obj.update(changes)
    return obj


class FakeStripe(stripe.HTTPClient):
    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests: list[tuple[str, str, dict]] = []
        self.down = False
        self.subscriptions: dict[str, dict] = {}
        self.products: dict[str, dict] = {}
        self.seen: list[tuple[str, dict]] = []  # (full URL, headers) of each request
        self.tax_rates: list[dict] = []
        # Answer the next request with this Stripe error, e.g. (400, {"type": "invalid_request_error", …}).
        self.fail_next: tuple[int, dict] | None = None

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        if self.down:
            raise stripe.APIConnectionError("Could not connect to Stripe (test: network down)")
        parts = urlsplit(url)
        params = dict(parse_qsl(post_data or parts.query))
        self.requests.append((method.lower(), parts.path, params))
        self.seen.append((url, headers))
        if self.fail_next is not None:
            status, error = self.fail_next
            self.fail_next = None
            return json.dumps({"error": error}), status, {"request-id": "req_test_failed"}
        if parts.path == "/v1/products" and params.get("id") in self.products:
            return json.dumps({"error": {"type": "invalid_request_error", "code": "resource_already_exists",
                                         "message": "Product already exists."}}), 400, {"request-id": "req_test"}
        body = self._answer(method.lower(), parts.path, params)
        return json.dumps(body), 200, {"request-id": "req_test"}

    def _answer(self, method, path, params):
        if path == "/v1/checkout/sessions":
            number = len(self.requests)
            return fixture("checkout.session", id=f"cs_test_{number}", mode=params.get("mode"),
                           url=f"https://checkout.stripe.com/c/pay/cs_test_{number}")
        if path == "/v1/billing_portal/sessions":
            return fixture("billing_portal.session", customer=params.get("customer"),
                           url="https://billing.stripe.com/p/session/test_portal")
        if path == "/v1/products":
            product = fixture("product", id=params.get("id") or f"prod_test_{len(self.requests)}",
                              name=params.get("name"), metadata={"kehu": params.get("metadata[kehu]")})
            self.products[product["id"]] = product
            return product
        if path == "/v1/tax_rates" and method == "get":
            return {"object": "list", "data": self.tax_rates, "has_more": False, "url": "/v1/tax_rates"}
        if path == "/v1/tax_rates":
            rate = fixture("tax_rate", id=f"txr_test_{len(self.requests)}", percentage=float(params["percentage"]),
                           inclusive=params.get("inclusive") == "true", metadata={"kehu": params.get("metadata[kehu]")})
            self.tax_rates.append(rate)
            return rate
        if path.startswith("/v1/subscription_items"):
            return self._subscription_item(path, params)
        if path.startswith("/v1/subscriptions/"):
            sub_id = path.rsplit("/", 1)[1]
            if method == "post":
                self._update_subscription(sub_id, params)
            if method == "delete":  # cancel now, as Stripe does
                self.subscriptions.setdefault(sub_id, {})["status"] = "canceled"
            return self.subscription(sub_id)
        raise AssertionError(f"unexpected Stripe call {method} {path}")

    def subscription(self, sub_id: str) -> dict:
        """The subscription as Stripe has it now (the fixture with this test's changes)."""
        return fixture("subscription", id=sub_id, **copy.deepcopy(self.subscriptions.get(sub_id, {})))

    def _update_subscription(self, sub_id, params):
        """POST /v1/subscriptions/<id> with items[n][…]: change, delete or add items, as Stripe does
        (and cancel_at_period_end)."""
        if "cancel_at_period_end" in params:
            self.subscriptions.setdefault(sub_id, {})["cancel_at_period_end"] = (
                params["cancel_at_period_end"] == "true")
        changes: dict[int, dict] = {}
        for key, value in params.items():
            if key.startswith("items["):
                index, _, rest = key[len("items["):].partition("]")
                changes.setdefault(int(index), {})[rest] = value
        items = self.subscription(sub_id)["items"]["data"]
        intervals = {item["price"]["recurring"]["interval"] for item in items}
        for number, change in sorted(changes.items()):
            item = next((item for item in items if item["id"] == change.get("[id]")), None)
            if change.get("[deleted]") == "true":
                items.remove(item)
                continue
            if item is None:
                item = copy.deepcopy(FIXTURES["subscription"]["items"]["data"][0])
                item.update(id=f"si_test_{len(self.requests)}_{number}",
                            metadata={"kehu": change["[metadata][kehu]"]} if "[metadata][kehu]" in change else {})
                items.append(item)
            if "[quantity]" in change:
                item["quantity"] = int(change["[quantity]"])
            if "[price]" in change:
                item["price"] = {**item["price"], "id": change["[price]"]}
            if "[price_data][unit_amount]" in change:
                product = item["price"]["product"]
                same = change["[price_data][product]"] == (product["id"] if isinstance(product, dict) else product)
                item["price"] = {**item["price"], "id": f"price_test_{len(self.requests)}_{number}",
                                 "product": product if same else change["[price_data][product]"],
                                 "unit_amount": int(change["[price_data][unit_amount]"]),
                                 "currency": change["[price_data][currency]"],
                                 "recurring": {**item["price"]["recurring"],
                                               "interval": change["[price_data][recurring][interval]"]}}
        new_intervals = {item["price"]["recurring"]["interval"] for item in items}
        if new_intervals != intervals:
            # A new interval resets the billing cycle: every item starts a new period now.
            start = int(time.time())
            length = 365 * 86400 if new_intervals == {"year"} else 30 * 86400
            for item in items:
                item.update(current_period_start=start, current_period_end=start + length)
        self.subscriptions.setdefault(sub_id, {})["items"] = {"object": "list", "data": items}

    def _subscription_item(self, path, params):
        """Create (POST /v1/subscription_items) or update (…/<id>) an item; the quantity is echoed,
        and the subscription shows the item from then on."""
        item = copy.deepcopy(FIXTURES["subscription"]["items"]["data"][0])
        item_id = path.rsplit("/", 1)[1] if path.count("/") == 3 else f"si_test_{len(self.requests)}"
        sub_id = params.get("subscription") or next(
            (sub_id for sub_id, changes in self.subscriptions.items()
             if any(known["id"] == item_id for known in (changes.get("items") or {}).get("data") or [])), None)
        item.update(id=item_id, quantity=int(params.get("quantity", 1)),
                    subscription=sub_id or item["subscription"])
        if "metadata[kehu]" in params:
            item["metadata"] = {"kehu": params["metadata[kehu]"]}
        if sub_id is not None:
            items = self.subscription(sub_id)["items"]["data"]
            known = next((known for known in items if known["id"] == item_id), None)
            if known is None:
                items.append(item)
            else:
                known["quantity"] = item["quantity"]
                item = known
            self.subscriptions.setdefault(sub_id, {})["items"] = {"object": "list", "data": items}
        return item

    def request_stream(self, *args, **kwargs):
        raise NotImplementedError

    def close(self):
        pass


def event(kind: str, obj: dict, *, event_id: str, created: int) -> dict:
    return fixture("event", id=event_id, type=kind, created=created, data={"object": obj})


def signed(payload: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """(body, headers) as Stripe would send them."""
    body = json.dumps(payload)
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}
