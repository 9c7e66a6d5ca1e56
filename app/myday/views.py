""""My day": every user's home page, the panels of app.myday in their order."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.access.permissions import signed_in
from app.myday import core as _core_panels  # noqa: F401  (registers the core panels)
from app.myday import panels

bp = Blueprint("myday", __name__)


@bp.get("/")
@signed_in
def home():
    user = current_user._get_current_object()
    shown = [(p, data) for p in panels() if (data := p.build(user))]
    return render_template("myday/home.html", user=user, shown=shown)
