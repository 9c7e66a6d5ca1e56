"""A product's picture: checked like the tenant's logo, kept in the tenant's file storage.

The file lives under the tenant's upload directory (app/storage.py, area
"products"), so it counts towards the plan's storage limit. A replaced or
removed picture is deleted only once the change commits, and a new one is
deleted again if the change rolls back: a failed save leaves things as they were.
"""
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import storage
from app.extensions import db
from app.images import IMAGE_TYPES, image_kind
from app.products.models import Product
from billing import limits

AREA = "products"


class ImageError(ValueError):
    """A refused picture; str() is a message for the user."""


def image_problem(data: bytes):
    """Why data cannot be a product picture (a translatable message), or None."""
    limit = current_app.config["PRODUCT_IMAGE_MAX_BYTES"]
    if len(data) > limit:
        return _l("The picture is too large: at most %(kb)d KB.", kb=limit // 1024)
    if image_kind(data) is None:
        return _l("The picture must be a PNG, JPEG, GIF or WebP image.")
    return None


def set_image(product: Product, data: bytes) -> None:
    """Make data the product's picture, replacing any; it must fit the plan's file storage
    (billing.limits.LimitReached). The picture it replaces no longer counts."""
    if problem := image_problem(data):
        raise ImageError(problem)
    limits.check("storage_bytes", len(data) - (product.image_bytes or 0))
    kind = image_kind(data)
    key = storage.save(AREA, data, suffix=f".{kind}")
    storage.delete_after_rollback(key)
    _drop_file(product)
    product.image_file, product.image_type, product.image_bytes = key, IMAGE_TYPES[kind], len(data)
    db.session.flush()


def remove_image(product: Product) -> None:
    _drop_file(product)
    product.image_file = product.image_type = product.image_bytes = None
    db.session.flush()


def _drop_file(product: Product) -> None:
    if product.image_file:
        storage.delete_after_commit(product.image_file)


def image_path(product: Product) -> Path | None:
    """The picture's file, or None when the product has none (or the file is gone)."""
    if not product.image_file:
        return None
    path = storage.path_of(product.image_file)
    return path if path.is_file() else None
