"""Provider console: the exchange rates behind the dashboard's MRR; owners edit them (audited)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.provider import console
from app.provider.access import allowed, staff_required
from app.provider.blueprint import bp
from billing import rates


def _parse(form) -> tuple[dict, list]:
    values, errors = {}, []
    for currency in rates.editable_currencies():
        try:
            values[currency] = rates.parse_rate(form.get(f"rate_{currency}", ""))
        except rates.RateError:
            errors.append(_("%(currency)s: enter a positive rate such as 7.10 (at most six decimals).",
                            currency=currency))
    return values, errors


@bp.route("/rates", methods=["GET", "POST"])
@staff_required
def exchange_rates():
    errors, values = [], rates.current_rates()
    if request.method == "POST":
        if not allowed("edit_rates"):
            abort(403)
        parsed, errors = _parse(request.form)
        if not errors:
            changed = rates.update_rates(parsed)
            detail = ", ".join(f"{c} {old} → {new}" for c, (old, new) in sorted(changed.items())) or "no change"
            console.audit(current_user, "edit_rates", None, detail)
            flash(_("Exchange rates saved."), "success")
            return redirect(url_for("provider.exchange_rates"))
        values = {**values, **{c: request.form.get(f"rate_{c}", "") for c in rates.editable_currencies()}}
    return render_template("provider/rates.html", values=values, errors=errors,
                           currencies=rates.editable_currencies(), reporting=rates.reporting_currency(),
                           can_edit=allowed("edit_rates")), 422 if errors else 200
