"""Public pages outside any workspace: home and pricing."""
from flask import Blueprint, render_template, request

from billing import plans
from billing.models import CURRENCIES

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    return render_template("site/home.html")


@bp.get("/pricing")
def pricing():
    currency = request.args.get("currency", "CNY")
    currency = currency if currency in CURRENCIES else "CNY"
    interval = "year" if request.args.get("interval") == "year" else "month"
    return render_template("site/pricing.html", plans=plans.public_plans(), trial=plans.trial_plan(),
                           currency=currency, interval=interval, currencies=CURRENCIES)


@bp.get("/healthz")
def health():
    return {"ok": True}
