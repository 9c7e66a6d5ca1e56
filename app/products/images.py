"""A product's picture and its thumbnail: checked like the tenant's logo, kept in the tenant's file storage.

The files live under the tenant's upload directory (app/storage.py, area
"products"), so both count towards the plan's storage limit. A replaced or
removed picture is deleted only once the change commits, and a new one is
deleted again if the change rolls back: a failed save leaves things as they were.

The thumbnail (what the product list shows) is made on upload: the longest side
at most PRODUCT_THUMBNAIL_PX, PNG when the picture has see-through pixels, else
JPEG. Its storage key is the picture's with ".thumb.png" or ".thumb.jpg" in
place of the suffix, so no column names it. A picture uploaded before
thumbnails existed has none: the thumbnail route then serves the picture itself.
"""
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import storage
from app.extensions import db
from app.images import (IMAGE_TYPES, TOO_MANY_PIXELS, ImageRefused, image_kind, max_pixels,
                        thumbnail)
from app.products.models import Product
from billing import limits

AREA = "products"
THUMBNAIL_KINDS = ("png", "jpg")


class ImageError(ValueError):
    """A refused picture; str() is a message for the user."""


def _not_an_image():
    return _l("The picture must be a PNG, JPEG, GIF or WebP image.")


def _too_many_pixels():
    return _l("The picture has too many pixels: at most %(millions)d million.",
              millions=max_pixels() // 1_000_000)


def image_problem(data: bytes):
    """Why data cannot be a product picture (a translatable message), or None."""
    limit = current_app.config["PRODUCT_IMAGE_MAX_BYTES"]
    if len(data) > limit:
        return _l("The picture is too large: at most %(kb)d KB.", kb=limit // 1024)
    if image_kind(data) is None:
        return _not_an_image()
    return None


def set_image(product: Product, data: bytes) -> None:
    """Make data the product's picture, replacing any, and write its thumbnail; both must fit
    the plan's file storage (billing.limits.LimitReached). The files they replace no longer count."""
    if problem := image_problem(data):
        raise ImageError(problem)
    try:
        # Decoding the picture to shrink it is also the check that it is a readable image.
        small, small_kind = thumbnail(data, current_app.config["PRODUCT_THUMBNAIL_PX"])
    except ImageRefused as refused:
        raise ImageError(_too_many_pixels() if refused.reason == TOO_MANY_PIXELS
                         else _not_an_image()) from None
    limits.check("storage_bytes", len(data) + len(small) - _stored_bytes(product))
    kind = image_kind(data)
    key = storage.save(AREA, data, suffix=f".{kind}")
    storage.delete_after_rollback(key)
    small_key = thumbnail_key(key, small_kind)
    storage.write(small_key, small)
    storage.delete_after_rollback(small_key)
    _drop_files(product)
    product.image_file, product.image_type, product.image_bytes = key, IMAGE_TYPES[kind], len(data)
    db.session.flush()


def remove_image(product: Product) -> None:
    _drop_files(product)
    product.image_file = product.image_type = product.image_bytes = None
    db.session.flush()


def thumbnail_key(image_key: str, kind: str) -> str:
    """products/<name>.png → products/<name>.thumb.jpg (or .thumb.png)."""
    stem = image_key.rsplit(".", 1)[0]
    return f"{stem}.thumb.{kind}"


def _thumbnail_keys(product: Product) -> list[str]:
    return [thumbnail_key(product.image_file, kind) for kind in THUMBNAIL_KINDS]


def _stored_bytes(product: Product) -> int:
    """What the product's picture and thumbnail take now (freed when they are replaced)."""
    if not product.image_file:
        return 0
    thumbnails = [storage.path_of(key) for key in _thumbnail_keys(product)]
    return (product.image_bytes or 0) + sum(p.stat().st_size for p in thumbnails if p.is_file())


def _drop_files(product: Product) -> None:
    if product.image_file:
        storage.delete_after_commit(product.image_file)
        for key in _thumbnail_keys(product):  # at most one exists; deleting a missing one is a no-op
            storage.delete_after_commit(key)


def image_path(product: Product) -> Path | None:
    """The picture's file, or None when the product has none (or the file is gone)."""
    if not product.image_file:
        return None
    path = storage.path_of(product.image_file)
    return path if path.is_file() else None


def thumbnail_file(product: Product) -> tuple[Path, str] | None:
    """The thumbnail's file and image type; the picture itself when it has no thumbnail (uploaded
    before thumbnails were made); None when the product has no picture."""
    if not product.image_file:
        return None
    for key, kind in zip(_thumbnail_keys(product), THUMBNAIL_KINDS):
        path = storage.path_of(key)
        if path.is_file():
            return path, IMAGE_TYPES[kind]
    path = image_path(product)
    return (path, product.image_type) if path else None
