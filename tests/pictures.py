"""Pictures for upload tests: real ones Pillow can decode, a broken one, and decompression bombs."""
import functools
import io
import struct
import zlib

from PIL import Image

# The first bytes of a 1×1 PNG and nothing more: it passes the magic-byte check, no decoder reads it.
BROKEN_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png(width=1, height=1, color=(170, 51, 0)) -> bytes:
    return encode(Image.new("RGB", (width, height), color), "PNG")


def photo(width=1600, height=1200) -> bytes:
    """A JPEG full of detail (noise), so it is as large as a real photo of that size."""
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 80) for _ in range(3)])
    return encode(noise, "JPEG", quality=90)


def see_through_png(width=400, height=200) -> bytes:
    return encode(Image.new("RGBA", (width, height), (0, 120, 0, 0)), "PNG")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def png_bomb(width: int, height: int) -> bytes:
    """A real black-and-white PNG of width × height, all white: a small file (30 000 × 30 000 is
    150 KB) that is width × height pixels once decoded. Written row by row, so the test never
    holds all its pixels."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter byte, then 8 pixels per byte
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
            + _chunk(b"IEND", b""))
