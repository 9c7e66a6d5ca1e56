"""Public pages outside any workspace."""
from flask import Blueprint, render_template

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    return render_template("site/home.html")


@bp.get("/healthz")
def health():
    return {"ok": True}
