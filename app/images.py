"""Which uploaded pictures we accept, and the small copies we make of them.

The kind is told by the file's first bytes, never by its name or the browser,
so SVG (it can carry script) and anything that only claims to be an image are
refused. Then Pillow must actually decode the file as that kind: a file whose
first bytes look right but whose content is broken is refused too, as is one
that would decode to more pixels than IMAGE_MAX_PIXELS (a "decompression
bomb": a small file that takes gigabytes of memory once decoded). The tenant's
logo and product pictures both go through here.
"""
import io
import warnings

from flask import current_app
from PIL import Image, ImageOps

IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
# The Pillow decoder for each kind: a file is decoded only as what its magic bytes say it is.
_PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}

NOT_AN_IMAGE = "not_an_image"
TOO_MANY_PIXELS = "too_many_pixels"


class ImageRefused(ValueError):
    """The file cannot be used as a picture; reason is NOT_AN_IMAGE or TOO_MANY_PIXELS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


def max_pixels() -> int:
    return current_app.config["IMAGE_MAX_PIXELS"]


def decode(data: bytes) -> Image.Image:
    """The picture decoded by Pillow (its first frame), or ImageRefused."""
    kind = image_kind(data)
    if kind is None:
        raise ImageRefused(NOT_AN_IMAGE)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[kind]])
            # Image.open has read only the header: refuse before the pixels take the memory.
            if image.width * image.height > max_pixels():
                raise ImageRefused(TOO_MANY_PIXELS)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(TOO_MANY_PIXELS) from None
        except ImageRefused:
            raise
        except Exception:  # noqa: BLE001  Pillow's decoders fail with many types (OSError, SyntaxError, ValueError …)
            raise ImageRefused(NOT_AN_IMAGE) from None
    return image


def refusal(data: bytes) -> str | None:
    """NOT_AN_IMAGE or TOO_MANY_PIXELS when data cannot be used as a picture, else None."""
    try:
        decode(data)
    except ImageRefused as refused:
        return refused.reason
    return None


def thumbnail(data: bytes, size: int) -> tuple[bytes, str]:
    """A copy of the picture whose longest side is at most size px (aspect ratio kept), and its
    kind: 'png' when the picture has see-through pixels (JPEG has none), else 'jpg' (smallest
    for photos). Raises ImageRefused like decode. Animated pictures give their first frame."""
    image = decode(data)
    # Phone photos are often stored sideways with an EXIF note; browsers turn the full picture
    # upright, so the thumbnail must be too (it keeps no EXIF data itself).
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA")
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if image.getchannel("A").getextrema()[0] < 255:
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpg"
