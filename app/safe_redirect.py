"""Redirect targets taken from the request (?next=, form fields), made safe."""
from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only same-site paths, so a ?next= can never become an open redirect."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback  # a CR/LF would split the Location header (a 500, or a forged header)
    return target
