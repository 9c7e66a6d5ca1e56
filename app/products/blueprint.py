"""The product catalogue's blueprint (/t/<slug>/products/…).

Every route module of the package imports `bp` from here; app/products/routes.py lists
them. This module imports none of them, so no import cycle goes through it.
"""
from flask import Blueprint

bp = Blueprint("products", __name__, url_prefix="/products")
