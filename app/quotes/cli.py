"""flask quotes expire — the daily pass that marks quotes past their validity date as expired.

Schedule it like `flask billing run` (docs/SALES.md gives the cron line).
Each tenant is done in its own transaction, on its own calendar day (its time
zone) and in its own language (the timeline entry's text); one tenant failing
does not stop the others.
"""
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale

from app.extensions import db
from app.quotes.services import expire_due
from tenants.context import TenantRef, tenant_scope
from tenants.models import Tenant

quotes_cli = AppGroup("quotes", help="Quote housekeeping.")


@quotes_cli.command("expire")
@click.argument("slug", required=False)
def expire(slug):
    """Expire approved or sent quotes past their validity date, in one or every active tenant."""
    query = sa.select(Tenant).where(Tenant.status == "active").order_by(Tenant.id)
    if slug:
        query = query.where(Tenant.slug == slug)
    # Plain values: a rolled-back tenant must not expire the registry rows the loop reads.
    tenants = [(TenantRef.of(t), t.time_zone, t.locale) for t in db.session.scalars(query)]
    db.session.rollback()
    if slug and not tenants:
        raise click.ClickException(f"no active tenant {slug!r}")
    expired, failed = 0, 0
    for ref, time_zone, locale in tenants:
        try:
            expired += expire_in(ref, time_zone, locale)
        except Exception as exc:  # noqa: BLE001  (reported, and the exit status says so)
            db.session.rollback()
            failed += 1
            click.echo(f"FAILED {ref.slug}: {exc}", err=True)
    click.echo(f"{expired} quotes expired in {len(tenants) - failed} tenants")
    if failed:
        sys.exit(1)


def expire_in(tenant: TenantRef, time_zone: str, locale: str) -> int:
    """One tenant's pass, committed: today is the tenant's date, not the server's."""
    with tenant_scope(tenant), force_locale(locale):
        count = expire_due(datetime.now(ZoneInfo(time_zone)).date())
        db.session.commit()
    return count
