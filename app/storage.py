"""Per-tenant file storage: UPLOAD_DIR/<schema>/<area>/ on the local disk (tenants/files.py).

Every path is built from the current tenant's registry schema name and a
name this code generates, never from what a user typed.
"""
import secrets
from pathlib import Path

from tenants.context import require_tenant
from tenants.files import upload_dir


def tenant_root() -> Path:
    """The same folder the logo, backups and exports use, so used_bytes() counts every file."""
    return upload_dir(require_tenant())


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
    """Bytes of every file the current tenant keeps (what the plan's storage limit counts)."""
    root = tenant_root()
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0
