"""Where a tenant's files live on disk: UPLOAD_DIR/<files key>/ and EXPORT_DIR/<files key>/.

The folder name is the registry's `files_key`: random for every tenant and never
reused. It is not the schema name, because a new sign-up at the address of a
dropped tenant gets the same schema name again and would inherit its files.
Installations from before the key keep their folders: the migration that added
the column set each existing tenant's key to its schema name, the folder's name.
"""
import shutil
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from tenants.context import TenantRef

_FOLDERS_AFTER_COMMIT = "kehu_tenant_folders_delete_after_commit"


def _key(tenant) -> str:
    key = TenantRef.of(tenant).files_key
    if key is None:
        raise ValueError("this tenant reference carries no files key")
    return key


def upload_dir(tenant) -> Path:
    """The tenant's upload directory (it may not exist yet)."""
    return Path(current_app.config["UPLOAD_DIR"]) / _key(tenant)


def export_dir(tenant) -> Path:
    """Where the tenant's finished "export all my data" zips are kept."""
    return Path(current_app.config["EXPORT_DIR"]) / _key(tenant)


def delete_folders_after_commit(session: Session, tenant) -> None:
    """Delete the tenant's upload and export folders once its drop commits (kept on rollback)."""
    folders = session.info.setdefault(_FOLDERS_AFTER_COMMIT, [])
    folders.extend([upload_dir(tenant), export_dir(tenant)])


@event.listens_for(Session, "after_commit")
def _committed(session):
    for folder in session.info.pop(_FOLDERS_AFTER_COMMIT, []):
        shutil.rmtree(folder, ignore_errors=True)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_FOLDERS_AFTER_COMMIT, None)


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
