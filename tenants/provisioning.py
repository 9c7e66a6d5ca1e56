"""Creating, pooling, assigning and dropping tenant schemas.

A tenant schema is built from one compiled DDL script (tenants/ddl.py) in the
caller's transaction. The warm pool holds schemas built ahead of time with no
tenant; a sign-up claims one with FOR UPDATE SKIP LOCKED and renames it, so
the business is ready in milliseconds. Functions here flush; the caller commits.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from tenants.context import TenantRef, current_tenant, set_schema_on, tenant_scope
from tenants.ddl import tenant_ddl_script
from tenants.files import delete_folders_after_commit
from tenants.migrating import head_revision
from tenants.models import Tenant
from tenants.schema_names import (
    checked_schema_name,
    pooled_schema_name,
    schema_for_slug,
    slug_problem,
)


class ProvisioningError(ValueError):
    """The tenant cannot be created as asked (bad or taken slug, ...)."""


@dataclass
class NewTenant:
    slug: str
    name: str
    admin_email: str
    admin_name: str = ""
    locale: str = "zh_Hans"
    time_zone: str = "Asia/Shanghai"
    currency: str = "CNY"
    admin_password_hash: str | None = None


def _tenant_schema():
    return current_app.extensions["tenant_schema"]


def slug_available(slug: str) -> bool:
    taken = db.session.scalar(sa.select(sa.func.count()).where(Tenant.slug == slug))
    return not taken


def _check_new(spec: NewTenant) -> None:
    problem = slug_problem(spec.slug)
    if problem:
        raise ProvisioningError(f"{spec.slug!r}: {problem}")
    if not slug_available(spec.slug):
        raise ProvisioningError(f"{spec.slug!r} is already taken.")


def _build_schema(schema: str) -> None:
    """CREATE SCHEMA and every tenant table, in the session's transaction."""
    connection = db.session.connection()
    connection.exec_driver_sql(f'CREATE SCHEMA "{checked_schema_name(schema)}"')
    set_schema_on(connection, schema)
    connection.exec_driver_sql(tenant_ddl_script(_tenant_schema().metadata, head_revision("tenant")))
    current = current_tenant()
    set_schema_on(connection, current.schema if current else None)


def _populate(tenant: Tenant, spec: NewTenant):
    """Seed rows and the admin user inside the tenant's schema."""
    from app.access.models import Role
    from app.auth.models import User

    with tenant_scope(tenant):
        _tenant_schema().seed(db.session, spec.locale)
        owner_role = db.session.scalars(sa.select(Role).where(Role.key == "owner")).one()
        admin = User(
            email=spec.admin_email.strip().lower(),
            name=spec.admin_name or spec.admin_email.split("@")[0],
            password_hash=spec.admin_password_hash,
            role_id=owner_role.id,
            locale=None,
        )
        db.session.add(admin)
        db.session.flush()
        return admin.id


def create_tenant(spec: NewTenant) -> Tenant:
    """A new tenant built from scratch: registry row, schema, tables, seed, admin."""
    tenant = create_empty_tenant(spec)
    _populate(tenant, spec)
    return tenant


def create_empty_tenant(spec: NewTenant) -> Tenant:
    """Registry row and a schema with every table, but no rows (a restore fills it)."""
    _check_new(spec)
    tenant = Tenant(
        slug=spec.slug, name=spec.name, schema_name=schema_for_slug(spec.slug), status="active",
        locale=spec.locale, time_zone=spec.time_zone, currency=spec.currency,
        activated_at=sa.func.now(),
    )
    db.session.add(tenant)
    db.session.flush()
    _build_schema(tenant.schema_name)
    return tenant


def build_pooled_schema() -> Tenant:
    """One warm, unassigned schema (registry status 'pooled')."""
    tenant = Tenant(slug=None, name="", schema_name=pooled_schema_name(), status="pooled")
    db.session.add(tenant)
    db.session.flush()
    _build_schema(tenant.schema_name)
    return tenant


def pooled_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(Tenant.status == "pooled"))


def fill_pool(target: int) -> int:
    """Build pooled schemas until `target` are waiting; commit each; return how many were built."""
    built = 0
    while pooled_count() < target:
        build_pooled_schema()
        db.session.commit()
        built += 1
    return built


def refill_pool() -> int:
    """The job run after each claim: top the pool up to TENANT_POOL_TARGET."""
    return fill_pool(current_app.config["TENANT_POOL_TARGET"])


def claim_pooled_tenant(spec: NewTenant) -> Tenant:
    """Give the business a warm schema (renamed to t_<slug>), or build one if the pool is empty."""
    _check_new(spec)
    tenant = db.session.scalars(
        sa.select(Tenant).where(Tenant.status == "pooled").order_by(Tenant.id)
        .limit(1).with_for_update(skip_locked=True)
    ).first()
    if tenant is None:
        return create_tenant(spec)
    new_schema = schema_for_slug(spec.slug)
    db.session.connection().exec_driver_sql(
        f'ALTER SCHEMA "{checked_schema_name(tenant.schema_name)}" RENAME TO "{new_schema}"'
    )
    tenant.slug, tenant.name, tenant.schema_name = spec.slug, spec.name, new_schema
    tenant.status, tenant.activated_at = "active", sa.func.now()
    tenant.locale, tenant.time_zone, tenant.currency = spec.locale, spec.time_zone, spec.currency
    db.session.flush()
    _populate(tenant, spec)
    return tenant


def drop_tenant(tenant: Tenant) -> None:
    """Delete a canceled tenant's schema, files and registry row for good."""
    if tenant.status != "canceled":
        raise ProvisioningError(
            f"{tenant.slug} is {tenant.status}; only canceled tenants can be dropped."
        )
    drop_schema(TenantRef.of(tenant).schema)
    delete_folders_after_commit(db.session(), tenant)
    db.session.delete(tenant)
    db.session.flush()


def drop_schema(schema: str) -> None:
    db.session.connection().exec_driver_sql(
        f'DROP SCHEMA IF EXISTS "{checked_schema_name(schema)}" CASCADE'
    )
