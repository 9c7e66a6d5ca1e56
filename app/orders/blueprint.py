"""The orders' blueprint (/t/<slug>/orders/…).

Every route module of the package imports `bp` from here; app/orders/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/orders")
