"""Which uploaded pictures we accept: told by the file's first bytes, never by its name or the browser.

The tenant's logo and product pictures both go through image_kind, so both
refuse SVG (it can carry script) and anything that only claims to be an image.
"""
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def image_kind(data: bytes) -> str | None:
    """'png', 'jpg', 'gif' or 'webp' from the magic bytes; None for anything else (SVG too)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None
