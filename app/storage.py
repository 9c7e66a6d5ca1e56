"""Per-tenant file storage: instance/uploads/<schema>/<area>/ on the local disk.

Every path is built from the current tenant's registry schema name and a
name this code generates, never from what a user typed.
"""
import secrets
from pathlib import Path

from flask import current_app

from tenants.context import require_tenant


def tenant_root() -> Path:
    return Path(current_app.instance_path) / "uploads" / require_tenant().schema


def save(area: str, data: bytes, suffix: str = "") -> str:
    """Store bytes; return the storage key (area/random name)."""
    folder = tenant_root() / area
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + suffix
    (folder / name).write_bytes(data)
    return f"{area}/{name}"


def path_of(key: str) -> Path:
    area, _, name = key.partition("/")
    if not area.isidentifier() or "/" in name or name.startswith(".") or not name:
        raise ValueError(f"bad storage key {key!r}")
    return tenant_root() / area / name


def load(key: str) -> bytes:
    return path_of(key).read_bytes()


def delete(key: str) -> None:
    path_of(key).unlink(missing_ok=True)


def used_bytes() -> int:
    root = tenant_root()
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0
