"""What an uploaded file really is, judged by its first bytes, never by its name or the browser.

Images and PDFs (recognised by their magic bytes) may be previewed inline;
everything else is stored and served as an opaque download.
"""
PREVIEWABLE = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
    b"%PDF-": "application/pdf",
}
OPAQUE = "application/octet-stream"
MAX_BYTES = 20 * 1024 * 1024


def sniff(data: bytes) -> str:
    for magic, content_type in PREVIEWABLE.items():
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return OPAQUE


def safe_filename(name: str) -> str:
    """The name to show and offer on download: no paths, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    return name.strip()[:255] or "file"
