"""The tenant administration pages under /t/<slug>/admin/: users, units, roles, log-ins,
pipeline stages."""
from flask import Blueprint

from app.admin.labels import labels

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.context_processor(labels)

from app.admin import roles, stages, units, users  # noqa: E402,F401  (routes register on bp)
