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
from sqlalchemy.orm import Session, ORMExecuteState

from app.db_base import TenantModel
from tenants.schema_names import checked_schema_name


class TenantContextMissing(RuntimeError):
    """A tenant table was queried with no tenant selected."""


@dataclass(frozen=True)
class TenantRef:
    """What the context needs of a tenant: immutable, never tied to a session."""

    id: int
    slug: str | None
    schema: str
    status: str = "active"
    # What a job or a page needs to speak the tenant's language and keep its calendar.
    locale: str = "en"
    time_zone: str = "UTC"

    def __post_init__(self):
        checked_schema_name(self.schema)

    @classmethod
    def of(cls, tenant) -> "TenantRef":
        if isinstance(tenant, TenantRef):
            return tenant
        return cls(id=tenant.id, slug=tenant.slug, schema=tenant.schema_name, status=tenant.status,
                   locale=tenant.locale or "en", time_zone=tenant.time_zone or "UTC")


_current: ContextVar[TenantRef | None] = ContextVar("kehu_current_tenant", default=None)


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


def deactivate() -> None:
    _current.set(None)


def _move_session(session: Session, target: TenantRef | None) -> None:
    current = _current.get()
    if current == target:
        return
    if any(isinstance(obj, TenantModel) for obj in session.new | session.dirty):
        session.flush()
    for obj in list(session.identity_map.values()):
        # `in session`: expunging a parent (a quote) already cascaded to its children (lines).
        if isinstance(obj, TenantModel) and obj in session:
            session.expunge(obj)
    if session.in_transaction():
        # One engine, so one connection per session transaction.
        set_schema_on(session.connection(), target.schema if target else None)


@event.listens_for(Session, "after_begin")
def _begin_transaction(session, transaction, connection):
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
