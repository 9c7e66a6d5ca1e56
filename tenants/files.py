"""Where a tenant's files live on disk: one directory per schema under UPLOAD_DIR.

Like the schema, the directory name comes only from the registry's schema name.
"""
from pathlib import Path, PurePosixPath

from flask import current_app

from tenants.context import TenantRef


def upload_dir(tenant) -> Path:
    """The tenant's upload directory (it may not exist yet)."""
    return Path(current_app.config["UPLOAD_DIR"]) / TenantRef.of(tenant).schema


def safe_relative(name: str) -> PurePosixPath | None:
    """name as a relative path that stays inside its folder, or None (absolute, '..')."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("..", "") for part in path.parts):
        return None
    return path


def files_under(folder: Path):
    """(relative posix name, path) of every file below folder, sorted; nothing if it is missing."""
    if not folder.is_dir():
        return []
    return [(p.relative_to(folder).as_posix(), p) for p in sorted(folder.rglob("*")) if p.is_file()]
