"""flask customers tiers — sales volumes from orders, then A/B/C tiers, now (the scheduler
runs the same pass nightly for each tenant: app/customers/scheduled.py)."""
import sys

import click
from flask.cli import AppGroup

from app.customers.scheduled import refresh_tiers
from app.job_scope import for_each_active_tenant

customers_cli = AppGroup("customers", help="Customer data housekeeping.")


@customers_cli.command("tiers")
@click.argument("slug", required=False)
def tiers(slug):
    """Recompute sales volumes (last 12 months of orders + history) and computed tiers for
    one tenant, or for every active tenant."""
    result = for_each_active_tenant(lambda _tenant: refresh_tiers(), slug, name="customers tiers")
    if slug and not (result.done or result.failed):
        raise click.ClickException(f"no active tenant {slug!r}")
    for failed_slug, problem in result.failed.items():
        click.echo(f"FAILED {failed_slug}: {problem}", err=True)
    click.echo(f"tiers recomputed for {len(result.done)} tenants")
    if result.failed:
        sys.exit(1)
