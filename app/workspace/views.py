"""The workspace dashboard."""
import sqlalchemy as sa
from flask import Blueprint, g, render_template
from flask_login import current_user, login_required

from app.auth.models import User
from app.extensions import db
from app.sales.models import PipelineStage

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    stages = db.session.scalars(sa.select(PipelineStage).order_by(PipelineStage.position)).all()
    user_count = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active))
    return render_template(
        "workspace/dashboard.html", tenant=g.tenant, user=current_user, stages=stages,
        user_count=user_count,
    )
