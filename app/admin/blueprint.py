"""The tenant administration's blueprint (/t/<slug>/admin/…).

Every route module of the package imports `bp` from here; app/admin/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

from app.access.roles import may_change
from app.admin.labels import labels

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.context_processor(labels)
bp.context_processor(lambda: {"may_change": may_change})  # the owner-change rule, for buttons
