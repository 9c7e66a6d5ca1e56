"""Reading and saving the tenant's branding; checking logos; the per-tenant stylesheet."""
import hashlib
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.branding.models import DEFAULT_COLOR, TEXT_FIELDS, Branding
from app.extensions import db
from app.images import IMAGE_TYPES, NOT_AN_IMAGE, TOO_MANY_PIXELS, image_kind, max_pixels, refusal
from billing import limits
from tenants.context import current_tenant, require_tenant
from tenants.files import upload_dir


class BrandingError(ValueError):
    """Refused input, with a message for the user."""


def logo_problem(data: bytes):
    """Why data cannot be the logo (a translatable message), or None."""
    limit = current_app.config["BRANDING_LOGO_MAX_BYTES"]
    if len(data) > limit:
        return _l("The logo is too large: at most %(kb)d KB.", kb=limit // 1024)
    # Pillow must be able to decode it: the quote PDFs draw the logo with it.
    reason = refusal(data)
    if reason == NOT_AN_IMAGE:
        return _l("The logo must be a PNG, JPEG, GIF or WebP image.")
    if reason == TOO_MANY_PIXELS:
        return _l("The logo has too many pixels: at most %(millions)d million.",
                  millions=max_pixels() // 1_000_000)
    return None


def get_branding() -> Branding:
    """The tenant's branding, or unsaved defaults if it was never set."""
    return db.session.get(Branding, 1) or Branding(
        id=1, company_name="", primary_color=DEFAULT_COLOR,
        **{name: "" for name in TEXT_FIELDS},
    )


def logo_folder() -> Path:
    return upload_dir(require_tenant()) / "branding"


def save_branding(company_name: str, primary_color: str, texts: dict, logo: bytes | None = None,
                  remove_logo: bool = False) -> Branding:
    """Apply the admin's branding; refuses the whole change if any part is invalid.

    A new logo must fit in the plan's file storage (billing.limits.LimitReached);
    the logo it replaces is removed by this save, so only the difference counts.
    """
    color = (primary_color or "").strip().lower()
    if len(color) != 7 or color[0] != "#" or any(c not in "0123456789abcdef" for c in color[1:]):
        raise BrandingError(_l("Use a colour like #1f5fa8."))
    if logo is not None and (problem := logo_problem(logo)):
        raise BrandingError(problem)
    branding = get_branding()
    if logo is not None:
        limits.check("storage_bytes", len(logo) - (branding.logo_bytes or 0))
    branding.company_name, branding.primary_color = company_name.strip(), color
    for name in TEXT_FIELDS:
        setattr(branding, name, (texts.get(name) or "").strip())
    previous = branding.logo_file
    if logo is not None:
        _store_logo(branding, logo)
    elif remove_logo:
        branding.logo_file = branding.logo_type = branding.logo_bytes = None
    db.session.add(branding)
    db.session.flush()
    _remove_stale_logos(keep={previous, branding.logo_file})
    return branding


def _store_logo(branding: Branding, data: bytes) -> None:
    """Write the logo under a name made of its content, so a failed save breaks nothing."""
    kind = image_kind(data)
    name = f"logo-{hashlib.sha256(data).hexdigest()[:16]}.{kind}"
    folder = logo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    branding.logo_file, branding.logo_type, branding.logo_bytes = name, IMAGE_TYPES[kind], len(data)


def _remove_stale_logos(keep: set) -> None:
    """Delete logos no longer in use; the one the database held until now stays until next time."""
    folder = logo_folder()
    if folder.is_dir():
        for path in folder.glob("logo-*"):
            if path.name not in keep:
                path.unlink()


def logo_path(branding: Branding) -> Path | None:
    if not branding.logo_file:
        return None
    path = logo_folder() / branding.logo_file
    return path if path.is_file() else None


def stylesheet(branding: Branding) -> str:
    """The tenant's CSS: its colour as a custom property (the CSP forbids inline styles)."""
    return f":root {{ --kehu-brand: {branding.primary_color}; }}\n"


def mail_footer() -> str | None:
    """The current tenant's e-mail footer, for app.mail; None outside a tenant."""
    if current_tenant() is None:
        return None
    branding = db.session.get(Branding, 1)
    return branding.email_footer if branding is not None and branding.email_footer else None
