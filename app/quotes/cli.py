"""flask quotes expire — the daily pass that marks quotes past their validity date as expired.

The scheduler runs the same pass for each tenant just after its midnight
(app/quotes/scheduled.py); this command runs it now, by hand.
Each tenant is done in its own transaction, on its own calendar day (its time
zone) and in its own language (the timeline entry's text); one tenant failing
does not stop the others.
"""
import sys

import click
from flask.cli import AppGroup

from app.job_scope import for_each_active_tenant
from app.quotes.scheduled import expire_in

quotes_cli = AppGroup("quotes", help="Quote housekeeping.")


@quotes_cli.command("expire")
@click.argument("slug", required=False)
def expire(slug):
    """Expire approved or sent quotes past their validity date, in one or every active tenant."""
    expired = {}  # slug → count; summed only for tenants whose pass committed

    def one(tenant):
        expired[tenant.slug] = expire_in()

    result = for_each_active_tenant(one, slug, name="quotes expire")
    if slug and not (result.done or result.failed):
        raise click.ClickException(f"no active tenant {slug!r}")
    for failed_slug, problem in result.failed.items():
        click.echo(f"FAILED {failed_slug}: {problem}", err=True)
    click.echo(f"{sum(expired[s] for s in result.done)} quotes expired in {len(result.done)} tenants")
    if result.failed:
        sys.exit(1)
