"""Provider console: plans and their prices, editable by owners (audited)."""
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.provider import console
from app.provider.access import allowed, staff_required
from app.provider.blueprint import bp
from billing import plans
from billing.labels import FEATURE_NAMES
from billing.models import CURRENCIES, INTERVALS


@bp.get("/plans")
@staff_required
def plan_list():
    return render_template("provider/plans.html", plans=plans.public_plans(), currencies=CURRENCIES)


def _limit(raw: str, errors: list, label: str):
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 10**9:
        errors.append(_("%(field)s: a whole number, or empty for unlimited.", field=label))
        return None
    return int(raw)


def _parse(form) -> tuple[dict, list]:
    errors: list = []
    values = {
        "name": form.get("name", "").strip()[:80],
        "seat_limit": _limit(form.get("seat_limit", ""), errors, _("Users")),
        "record_limit": _limit(form.get("record_limit", ""), errors, _("Records")),
        "storage_limit_mb": _limit(form.get("storage_limit_mb", ""), errors, _("File storage (MB)")),
        "features": [f for f in form.getlist("features") if f in FEATURE_NAMES],
        "active": form.get("active") == "yes", "prices": {}, "seat_prices": {},
    }
    if not values["name"]:
        errors.append(_("The plan needs a name."))
    for currency in CURRENCIES:
        for interval in INTERVALS:
            raw = form.get(f"price_{currency}_{interval}", "").strip()
            try:
                amount = Decimal(raw)
                if not amount.is_finite() or amount < 0 or amount > Decimal("9999999999"):
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(_("%(currency)s %(interval)s: enter a price such as 199.00.",
                                currency=currency, interval=interval))
                continue
            values["prices"][(currency, interval)] = amount.quantize(Decimal("0.01"))
            _seat_price(form, currency, interval, values["seat_prices"], errors)
    return values, errors


def _seat_price(form, currency: str, interval: str, seat_prices: dict, errors: list) -> None:
    """One extra user's price; empty means not sold in this currency and interval (absent: unchanged)."""
    name = f"seat_price_{currency}_{interval}"
    if name not in form:
        return
    raw = form[name].strip()
    if not raw:
        seat_prices[(currency, interval)] = None
        return
    try:
        amount = Decimal(raw)
        if not amount.is_finite() or amount < 0 or amount > Decimal("9999999999"):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(_("%(currency)s %(interval)s: enter an extra user's price such as 49.00, "
                        "or leave it empty.", currency=currency, interval=interval))
        return
    seat_prices[(currency, interval)] = amount.quantize(Decimal("0.01"))


@bp.route("/plans/<key>", methods=["GET", "POST"])
@staff_required
def plan_edit(key):
    plan = plans.plan_by_key(key)
    if plan is None:
        abort(404)
    errors = []
    if request.method == "POST":
        if not allowed("edit_plans"):
            abort(403)
        values, errors = _parse(request.form)
        if not errors:
            plans.update_plan(plan, **values)
            console.audit(current_user, "edit_plan", None, f"plan {plan.key} updated")
            flash(_("Plan saved."), "success")
            return redirect(url_for("provider.plan_list"))
    return render_template("provider/plan_edit.html", plan=plan, errors=errors, currencies=CURRENCIES,
                           intervals=INTERVALS, features=FEATURE_NAMES,
                           can_edit=allowed("edit_plans")), 422 if errors else 200
