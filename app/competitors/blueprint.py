"""The competitors' blueprint (/t/<slug>/competitors/…).

Every route module of the package imports `bp` from here; app/competitors/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

bp = Blueprint("competitors", __name__, url_prefix="/competitors")
