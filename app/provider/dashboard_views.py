"""Provider console dashboard: MRR in the reporting currency, statuses, weekly sign-ups and churn."""
from flask import render_template

from app.provider.access import staff_required
from app.provider.blueprint import bp
from billing import metrics


@bp.get("/dashboard")
@staff_required
def dashboard():
    mrr, per_plan = metrics.mrr_by_plan()
    weekly = metrics.weekly()
    chart = {"weekly": weekly, "plans": {"labels": list(per_plan), "values": [str(v) for v in per_plan.values()]}}
    return render_template("provider/dashboard.html", mrr=mrr, per_plan=per_plan,
                           counts=metrics.status_counts(), currency=metrics.reporting_currency(),
                           chart=chart)
