"""Provider console: flagged payments (never applied automatically) and the bank accounts
that manual invoices ask customers to pay into."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.provider import console
from app.provider.access import allowed, staff_required
from app.provider.blueprint import bp
from billing import bank, flags
from billing.models import CURRENCIES, BillingFlag


@bp.get("/flags")
@staff_required
def billing_flags():
    return render_template("provider/flags.html", flags=flags.open_flags(), can_resolve=allowed("resolve_flags"))


@bp.post("/flags/<int:flag_id>/resolve")
@staff_required
def resolve_flag(flag_id):
    if not allowed("resolve_flags"):
        abort(403)
    found = db.get_or_404(BillingFlag, flag_id)
    if found.resolved_at is None:
        flags.resolve(found, current_user.email)
        console.audit(current_user, "resolve_flag", None, f"{found.kind} {found.reference}: {found.detail}")
        flash(_("Marked as dealt with."), "success")
    return redirect(url_for("provider.billing_flags"))


@bp.route("/bank-accounts", methods=["GET", "POST"])
@staff_required
def bank_accounts():
    values, errors = bank.all_details(), []
    if request.method == "POST":
        if not allowed("edit_bank_accounts"):
            abort(403)
        values = {currency: request.form.get(f"details_{currency}", "") for currency in CURRENCIES}
        errors = [_("%(currency)s: at most %(max)d characters.", currency=c, max=bank.MAX_LENGTH)
                  for c, text in values.items() if len(text.strip()) > bank.MAX_LENGTH]
        if not errors:
            changed = [c for c, text in values.items() if bank.set_details(c, text)]
            console.audit(current_user, "edit_bank_accounts", None, ", ".join(changed) or "no change")
            flash(_("Bank accounts saved."), "success")
            return redirect(url_for("provider.bank_accounts"))
    return render_template("provider/bank_accounts.html", values=values, errors=errors, currencies=CURRENCIES,
                           fallback=current_app.config["BILLING_BANK_DETAILS"],
                           can_edit=allowed("edit_bank_accounts")), 422 if errors else 200
