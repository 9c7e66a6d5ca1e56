"""The customers' blueprint (/t/<slug>/customers/…).

Every route module of the package imports `bp` from here; app/customers/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

bp = Blueprint("customers", __name__, url_prefix="/customers")
