"""The workspace dashboard."""
import sqlalchemy as sa
from flask import Blueprint, g, render_template
from flask_login import current_user

from app.access.permissions import signed_in
from app.auth.models import User
from app.extensions import db
from app.sales.stages import live_stages

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@signed_in
def home():
    stages = live_stages()
    team = db.session.scalars(sa.select(User).where(User.active).order_by(User.name)).all()
    return render_template(
        "workspace/dashboard.html", tenant=g.tenant, user=current_user, stages=stages, team=team,
    )
