"""Per-tenant file storage: UPLOAD_DIR/<files key>/<area>/ on the local disk (tenants/files.py).

Every path is built from the current tenant's registry files key and a
name this code generates, never from what a user typed.
"""
import errno
import secrets
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from tenants.context import require_tenant
from tenants.files import upload_dir

class StorageFull(OSError):
    """The disk holding the uploads is full: nothing was stored."""


_AFTER_COMMIT = "kehu_storage_delete_after_commit"
_AFTER_ROLLBACK = "kehu_storage_delete_after_rollback"


def tenant_root() -> Path:
    """The same folder the logo, backups and exports use, so used_bytes() counts every file."""
    return upload_dir(require_tenant())


def save(area: str, data: bytes, suffix: str = "") -> str:
    """Store bytes; return the storage key (area/random name)."""
    folder = tenant_root() / area
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + suffix
    _write_whole(folder / name, data)
    return f"{area}/{name}"


def write(key: str, data: bytes) -> None:
    """Store bytes under a key made from one save() returned (a file kept beside it)."""
    path = path_of(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_whole(path, data)


def _write_whole(path: Path, data: bytes) -> None:
    """The whole file or none of it: a write cut short (disk full) leaves no partial file."""
    try:
        path.write_bytes(data)
    except OSError as error:
        path.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull(error.errno, "no space left for uploads") from error
        raise


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


def delete_after_commit(key: str) -> None:
    """Delete the file once this transaction commits: the saved rows no longer name it, and
    if the transaction fails the rows that still name it keep their file."""
    _pending(_AFTER_COMMIT).append(path_of(key))


def delete_after_rollback(key: str) -> None:
    """Delete the file if this transaction rolls back: it was written for rows never saved,
    and would otherwise count against the plan's storage for nothing."""
    _pending(_AFTER_ROLLBACK).append(path_of(key))


def _pending(name: str) -> list[Path]:
    # Paths, not keys: they are resolved now, while the tenant is current.
    return db.session().info.setdefault(name, [])


@event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(_AFTER_ROLLBACK, None)
    for path in session.info.pop(_AFTER_COMMIT, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if previous_transaction.nested:
        return
    session.info.pop(_AFTER_COMMIT, None)
    for path in session.info.pop(_AFTER_ROLLBACK, []):
        path.unlink(missing_ok=True)
