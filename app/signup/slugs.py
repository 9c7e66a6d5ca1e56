"""Workspace addresses: why a slug is refused (in the user's language) and a suggestion."""
import re
import secrets
import unicodedata

from flask_babel import gettext as _

from tenants.provisioning import slug_available
from tenants.schema_names import RESERVED_SLUGS, SLUG


def slug_message(slug: str) -> str | None:
    """Why slug cannot be used (translated), or None when it is free and valid."""
    if not SLUG.match(slug or ""):
        return _("3–32 characters: lower-case letters, digits and hyphens, starting with a letter.")
    if "--" in slug:
        return _("No double hyphens, please.")
    if slug in RESERVED_SLUGS:
        return _("This address is reserved. Please choose another.")
    if not slug_available(slug):
        return _("This address is already taken. Please choose another.")
    return None


def _ascii_words(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def suggest_slug(name: str) -> str:
    """A free, valid address derived from the company name (Chinese names get a neutral one)."""
    base = _ascii_words(name)[:26].strip("-")
    base = re.sub(r"^[^a-z]+", "", base)
    if len(base) < 3:
        base = "team-" + secrets.token_hex(2)
    candidate = base
    for n in range(2, 50):
        if slug_message(candidate) is None:
            return candidate
        candidate = f"{base}-{n}"
    return f"team-{secrets.token_hex(3)}"
