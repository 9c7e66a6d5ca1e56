"""The provider console's blueprint (/provider/…).

Every route module of the package imports `bp` from here; app/provider/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

bp = Blueprint("provider", __name__, url_prefix="/provider")
