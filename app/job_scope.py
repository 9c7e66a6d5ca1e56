"""The one wrapper around background work: every job, CLI pass and mail sent outside a request.

`job_scope(tenant, user_id=…)` gives the work what a request would have:

* an app context of its own (so a database session and transaction of its own),
* links built on BASE_URL (`url_for(..., _external=True)` works without a request,
  and workspace links take the tenant's slug from the tenant context),
* the tenant's scope (its schema, its calendar day: `app.i18n.workspace_today`),
* the user's language, else the tenant's (stored text and mail come out in it),
* one commit at the end, or a rollback and a log line if the work raised.

Jobs and the services they call therefore never commit. `for_each_active_tenant`
runs a pass over every active tenant, one scope (and transaction) each.
"""
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app
from flask.globals import app_ctx
from flask_babel import force_locale

from app.extensions import db
from tenants.context import TenantRef, tenant_scope
from tenants.models import Tenant

log = logging.getLogger(__name__)


@contextmanager
def job_scope(tenant=None, *, user_id: int | None = None, name: str = "job") -> Iterator[TenantRef | None]:
    """Run the block as a job of `tenant` (id, row or TenantRef; None for public work)."""
    with current_app.app_context(), job_context(tenant, user_id=user_id) as ref:
        try:
            yield ref
        except Exception:
            # Inside the tenant's scope: leaving it would flush the failed work first.
            db.session.rollback()
            log.exception("%s failed%s", name, f" in {ref.slug}" if ref else "")
            raise
        db.session.commit()


@contextmanager
def job_context(tenant, user_id: int | None = None) -> Iterator[TenantRef | None]:
    """Links on BASE_URL, the tenant's scope and the user's (else the tenant's) language,
    in the caller's transaction.

    job_scope uses it; so does work that must stay in a larger transaction (the demo
    workspace is built and committed as one).
    """
    context = app_ctx._get_current_object()
    ref = _ref_of(tenant)
    saved, context.url_adapter = context.url_adapter, _base_url_adapter(context.app)
    try:
        with tenant_scope(ref), force_locale(_locale(ref, user_id)):
            yield ref
    finally:
        context.url_adapter = saved


@dataclass(frozen=True)
class PassResult:
    done: list[str]
    failed: dict[str, str]


def for_each_active_tenant(fn: Callable[[TenantRef], object], slug: str | None = None,
                           name: str = "pass") -> PassResult:
    """Call fn(tenant) in a job scope of every active tenant (or of `slug` only).

    Each tenant commits on its own; one failing is logged and does not stop the others.
    """
    query = sa.select(Tenant).where(Tenant.status == "active").order_by(Tenant.id)
    if slug:
        query = query.where(Tenant.slug == slug)
    with current_app.app_context():  # plain values: nothing of the registry outlives this read
        tenants = [TenantRef.of(t) for t in db.session.scalars(query)]
    done, failed = [], {}
    for ref in tenants:
        try:
            with job_scope(ref, name=name):
                fn(ref)
            done.append(ref.slug)
        except Exception as exc:  # noqa: BLE001  (logged by job_scope, reported by the caller)
            failed[ref.slug] = str(exc)
    return PassResult(done, failed)


def _ref_of(tenant) -> TenantRef | None:
    if tenant is None or isinstance(tenant, TenantRef):
        return tenant
    if isinstance(tenant, int):
        tenant = db.session.get(Tenant, tenant)
    return TenantRef.of(tenant)


def _locale(tenant: TenantRef | None, user_id: int | None) -> str:
    if tenant is not None and user_id is not None:
        from app.auth.models import User

        user = db.session.get(User, user_id)
        if user is not None and user.locale:
            return user.locale
    if tenant is not None:
        return tenant.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _base_url_adapter(app: Flask):
    """URLs of a job point at BASE_URL: the host, scheme and path prefix people use."""
    base = urlsplit(app.config["BASE_URL"])
    return app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
