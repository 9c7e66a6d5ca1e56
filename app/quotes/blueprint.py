"""The quotes' blueprint (/t/<slug>/quotes/…).

Every route module of the package imports `bp` from here; app/quotes/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

bp = Blueprint("quotes", __name__, url_prefix="/quotes")
