"""The tenant context: the one module that puts a tenant's schema on a connection.

How isolation holds (docs/ARCHITECTURE.md has the long form):

* Every connection is opened with an empty search_path (app/database.py), so
  an unqualified table name resolves to nothing.
* At the start of every ORM transaction, `_begin_transaction` runs
  `SET LOCAL search_path` to the schema of the current tenant, or to the empty
  path when there is none. SET LOCAL ends with the transaction, so a pooled
  connection never carries a tenant's schema into the next checkout.
* An ORM statement that touches a tenant table while no tenant is current
  raises TenantContextMissing before any SQL is sent; raw SQL fails in
  PostgreSQL instead ("relation does not exist").
* The current tenant is a ContextVar: per thread, per request, per job.
* Schema names come from the registry and are re-validated here.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, ORMExecuteState

from app.db_base import TenantModel
from tenants.schema_names import checked_files_key, checked_schema_name


class TenantContextMissing(RuntimeError):
    """A tenant table was queried with no tenant selected."""


@dataclass(frozen=True)
class TenantRef:
    """What the context needs of a tenant: immutable, never tied to a session."""

    id: int
    slug: str | None
    schema: str
    status: str = "active"
    files_key: str | None = None
    # What a job or a page needs to speak the tenant's language and keep its calendar.
    locale: str = "en"
    time_zone: str = "UTC"

    def __post_init__(self):
        checked_schema_name(self.schema)
        if self.files_key is not None:
            checked_files_key(self.files_key)

    @classmethod
    def of(cls, tenant) -> "TenantRef":
        if isinstance(tenant, TenantRef):
            return tenant
        return cls(id=tenant.id, slug=tenant.slug, schema=tenant.schema_name, status=tenant.status,
                   files_key=tenant.files_key,
                   locale=tenant.locale or "en", time_zone=tenant.time_zone or "UTC")


_current: ContextVar[TenantRef | None] = ContextVar("kehu_current_tenant", default=None)
# The slug of the workspace whose transaction is being begun by enter_workspace().
_entering: ContextVar[str | None] = ContextVar("kehu_entering_workspace", default=None)

# A workspace request's first round trip after BEGIN: the empty path first, then the
# registry row of the slug, whose schema becomes the transaction's path as the row is
# read (set_config in the select list runs only for the row returned, and only for a
# well-formed schema name). Unknown and pooled slugs return nothing and leave the path
# empty. Reading the row in the request's own transaction is what keeps this fail-closed:
# a suspension or drop committed before the request began is seen by it, whatever
# process made it, and there is no cache to invalidate.
WORKSPACE_COLUMNS = ("id", "slug", "name", "schema_name", "status", "locale", "time_zone", "currency",
                     "files_key")
_ENTER_SQL = (
    "SET LOCAL search_path TO ''; "
    f"SELECT {', '.join(WORKSPACE_COLUMNS)}, "
    "CASE WHEN schema_name ~ '^[a-z][a-z0-9_]{0,62}$' "
    "THEN set_config('search_path', quote_ident(schema_name), true) END "
    "FROM public.tenants WHERE slug = %(slug)s AND status <> 'pooled'"
)
_ENTERED_ROW = "kehu_workspace_row"


def current_tenant() -> TenantRef | None:
    return _current.get()


def require_tenant() -> TenantRef:
    tenant = _current.get()
    if tenant is None:
        raise TenantContextMissing("no tenant is selected for this request, job or command")
    return tenant


def search_path_sql(schema: str | None) -> str:
    """The SET LOCAL statement for a schema (None: the empty path that resolves nothing)."""
    if schema is None:
        return "SET LOCAL search_path TO ''"
    return f'SET LOCAL search_path TO "{checked_schema_name(schema)}"'


def set_schema_on(connection: Connection, schema: str | None) -> None:
    """Put schema on a connection's current transaction (for code working below the ORM)."""
    connection.exec_driver_sql(search_path_sql(schema))


@contextmanager
def tenant_scope(tenant, session: Session | None = None):
    """Make `tenant` current inside the block and restore what was current before.

    `session` (the request's session by default) is moved along: its pending
    work is flushed into the schema it was made in, tenant objects are
    expunged (ids repeat between tenants), and an open transaction is switched
    to the new schema.
    """
    from app.extensions import db

    session = session if session is not None else db.session()
    ref = TenantRef.of(tenant) if tenant is not None else None
    _move_session(session, ref)
    token = _current.set(ref)
    try:
        yield ref
    finally:
        previous = token.old_value if token.old_value is not token.MISSING else None
        _move_session(session, previous)
        _current.reset(token)


def activate(tenant) -> TenantRef:
    """Make tenant current for the rest of this context (a request); see tenant_scope."""
    from app.extensions import db

    ref = TenantRef.of(tenant)
    _move_session(db.session(), ref)
    _current.set(ref)
    return ref


def enter_workspace(slug: str) -> dict | None:
    """Begin this request's transaction in the workspace `slug` names, in one round trip.

    Returns the registry row (WORKSPACE_COLUMNS) with its tenant made current and its
    schema on the transaction, or None (no tenant, empty path) when no workspace has
    that slug. Called by the workspace blueprint before anything else touches the session.
    """
    from app.extensions import db

    session = db.session()
    began = not session.in_transaction()
    if not began:  # not at the start of a request: the same statement, without BEGIN
        _forget_tenant_objects(session)  # while their schema is still the path
    deactivate()
    token = _entering.set(slug)
    try:
        if not began:
            row = _read_workspace_row(session.connection(), slug)
        else:
            row = _begin_in_workspace(session)
    finally:
        _entering.reset(token)
    if row is None:
        return None
    _current.set(TenantRef(id=row["id"], slug=row["slug"], schema=row["schema_name"],
                           status=row["status"], files_key=row["files_key"],
                           locale=row["locale"] or "en", time_zone=row["time_zone"] or "UTC"))
    return row


def entering_workspace() -> bool:
    """Whether the connection being checked out is for enter_workspace's first statement."""
    return _entering.get() is not None


def _begin_in_workspace(session: Session) -> dict | None:
    """BEGIN, then the registry statement (_begin_transaction). That statement is also the
    check that the pooled connection is alive (the checkout skips its ping:
    app.database.ping_on_checkout): if the connection died in the pool, it fails before
    anything was read, and is sent once more on a fresh connection."""
    for attempt in range(2):
        try:
            session.connection()
            break
        except DBAPIError as error:
            if attempt or not error.connection_invalidated:
                raise
            session.rollback()  # the dead connection goes back to the pool, which drops it
    return session.info.pop(_ENTERED_ROW, None)


def _read_workspace_row(connection: Connection, slug: str) -> dict | None:
    row = connection.exec_driver_sql(_ENTER_SQL, {"slug": slug}).first()
    return dict(zip(WORKSPACE_COLUMNS, row)) if row is not None else None


def deactivate() -> None:
    _current.set(None)


def _move_session(session: Session, target: TenantRef | None) -> None:
    current = _current.get()
    if current == target:
        return
    _forget_tenant_objects(session)
    if session.in_transaction():
        # One engine, so one connection per session transaction.
        set_schema_on(session.connection(), target.schema if target else None)


def _forget_tenant_objects(session: Session) -> None:
    """Flush pending tenant objects into the schema they were made in, then expunge
    every tenant object (ids repeat across tenants)."""
    if any(isinstance(obj, TenantModel) for obj in session.new | session.dirty):
        session.flush()
    for obj in list(session.identity_map.values()):
        # `in session`: expunging a parent (a quote) already cascaded to its children (lines).
        if isinstance(obj, TenantModel) and obj in session:
            session.expunge(obj)


@event.listens_for(Session, "after_begin")
def _begin_transaction(session, transaction, connection):
    slug = _entering.get()
    if slug is not None:
        session.info[_ENTERED_ROW] = _read_workspace_row(connection, slug)
        return
    tenant = _current.get()
    set_schema_on(connection, tenant.schema if tenant else None)


@event.listens_for(Session, "do_orm_execute")
def _refuse_without_tenant(state: ORMExecuteState):
    if _current.get() is not None:
        return
    for mapper in state.all_mappers:
        if issubclass(mapper.class_, TenantModel):
            raise TenantContextMissing(
                f"{mapper.class_.__name__} is a tenant table and no tenant is selected"
            )
