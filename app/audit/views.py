"""The audit log viewer: read-only, for tenant admins."""
import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import get_timezone

from app.audit.forms import AuditFilterForm
from app.audit.services import ACTION_NAMES, RECORD_TYPE_NAMES, AuditFilter, search
from app.auth.models import User
from app.extensions import db
from app.tenant_admin import admin_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("/")
@admin_required
def index():
    users = db.session.scalars(sa.select(User).order_by(User.name)).all()
    form = AuditFilterForm(formdata=request.args).fill_choices(users)
    valid = form.validate() if request.args else True
    filters = form.to_filter(str(get_timezone())) if valid else AuditFilter()
    page = search(filters, before=request.args.get("before", type=int)) if valid else None
    args = {k: v for k, v in request.args.items() if k not in ("before", "submit")}
    return render_template(
        "audit/index.html", form=form, page=page, filter_args=args,
        action_names=ACTION_NAMES, record_type_names=RECORD_TYPE_NAMES,
    ), (200 if valid else 422)
