"""A tenant schema as one portable file, and back into a new tenant.

Our own logical format rather than pg_dump: it needs no server binaries of a
matching version (the embedded server is PostgreSQL 16, a deployment may run
another), and its data loads into a schema of any name. The file is a zip:

    manifest.json      format, source tenant, tenant migration revision, and
                       per table its columns and row count
    data/<table>.csv   COPY ... (FORMAT csv) of the table, by primary key
    uploads/...        the tenant's upload directory

A restore builds an empty schema at the same revision, COPYs the tables in
foreign-key order and moves every identity sequence past the highest id.
"""
import json
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from tenants import provisioning
from tenants.context import TenantRef, set_schema_on, tenant_scope
from tenants.files import files_under, safe_relative, upload_dir
from tenants.migrating import head_revision
from tenants.models import Tenant

FORMAT = 1


class BackupError(ValueError):
    """The file cannot be restored here (not a backup, other revision, ...)."""


def tenant_tables() -> list[sa.Table]:
    """Every tenant table, referenced tables before those that reference them."""
    return list(current_app.extensions["tenant_schema"].metadata.sorted_tables)


def _quoted(names) -> str:
    return ", ".join(f'"{name}"' for name in names)


@contextmanager
def snapshot(tenant):
    """A read-only connection in the tenant's schema that sees one consistent moment."""
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            set_schema_on(connection, TenantRef.of(tenant).schema)
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield connection


def copy_out(connection, table: sa.Table, fileobj, header: bool = False) -> int:
    """Write table as CSV (ordered by primary key) to fileobj; return the row count."""
    order = _quoted(c.name for c in table.primary_key.columns) or "1"
    sql = (f'COPY (SELECT {_quoted(c.name for c in table.columns)} FROM "{table.name}" '
           f"ORDER BY {order}) TO STDOUT WITH (FORMAT csv{', HEADER' if header else ''})")
    with connection.connection.dbapi_connection.cursor() as cursor:
        cursor.copy_expert(sql, fileobj)
        return cursor.rowcount


def write_backup(tenant: Tenant, path: Path) -> dict:
    """Write the tenant's backup file at path; return its manifest."""
    tables = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, snapshot(tenant) as conn:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        for table in tenant_tables():
            with archive.open(f"data/{table.name}.csv", "w") as out:
                rows = copy_out(conn, table, out)
            tables.append({"name": table.name, "columns": [c.name for c in table.columns],
                           "rows": rows})
        for name, file in files_under(upload_dir(tenant)):
            archive.write(file, f"uploads/{name}")
        manifest = {"format": FORMAT, "revision": revision, "tables": tables, "tenant": {
            key: getattr(tenant, key) for key in ("slug", "name", "locale", "time_zone", "currency")
        }}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The manifest, checked against this installation's tenant schema."""
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("not a Kehu CRM tenant backup (no readable manifest.json)")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r}; this version reads {FORMAT}")
    head = head_revision("tenant")
    if manifest.get("revision") != head:
        raise BackupError(
            f"the backup's tenant schema is at revision {manifest.get('revision')}, this "
            f"installation's at {head}: restore it with the release that made it, then migrate"
        )
    known = {table.name: {c.name for c in table.columns} for table in tenant_tables()}
    for entry in manifest["tables"]:
        if entry["name"] not in known or not set(entry["columns"]) <= known[entry["name"]]:
            raise BackupError(f"table {entry['name']!r} of the backup does not fit this schema")
    return manifest


def restore_backup(path: Path, slug: str, name: str | None = None) -> Tenant:
    """A new tenant `slug` holding the backup's rows (flushed; the caller commits)."""
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        _upload_members(archive)  # refuse unsafe file names before anything is created
        source = manifest["tenant"]
        tenant = provisioning.create_empty_tenant(provisioning.NewTenant(
            slug=slug, name=name or source["name"], admin_email="", locale=source["locale"],
            time_zone=source["time_zone"], currency=source["currency"],
        ))
        with tenant_scope(tenant):
            connection = db.session.connection()
            for entry in manifest["tables"]:
                with archive.open(f"data/{entry['name']}.csv") as data:
                    _copy_in(connection, entry["name"], entry["columns"], data)
            for table in tenant_tables():
                _reset_identity(connection, table)
    return tenant


def _copy_in(connection, table: str, columns: list[str], data) -> None:
    sql = f'COPY "{table}" ({_quoted(columns)}) FROM STDIN WITH (FORMAT csv)'
    with connection.connection.dbapi_connection.cursor() as cursor:
        cursor.copy_expert(sql, data)


def _reset_identity(connection, table: sa.Table) -> None:
    for column in table.columns:
        if column.identity is not None:
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                f'COALESCE(MAX("{column.name}"), 0) + 1, false) FROM "{table.name}"'
            )


def _upload_members(archive: zipfile.ZipFile) -> list:
    """(member, relative path) of every uploaded file in the backup; refuses unsafe names."""
    members = []
    for member in archive.infolist():
        if member.is_dir() or not member.filename.startswith("uploads/"):
            continue
        relative = safe_relative(member.filename.removeprefix("uploads/"))
        if relative is None:
            raise BackupError(f"unsafe file name in the backup: {member.filename!r}")
        members.append((member, relative))
    return members


def restore_uploads(path: Path, tenant: Tenant) -> int:
    """Unpack the backup's uploads into the tenant's upload directory; return the file count."""
    target = upload_dir(tenant)
    with zipfile.ZipFile(path) as archive:
        members = _upload_members(archive)
        for member, relative in members:
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out)
    return len(members)
