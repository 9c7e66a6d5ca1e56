"""flask customers tiers — sales volumes from orders, then A/B/C tiers (schedule it nightly,
like `flask billing run`)."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.customers.services import recompute_tiers, refresh_sales_volumes
from app.extensions import db
from tenants.context import tenant_scope
from tenants.models import Tenant

customers_cli = AppGroup("customers", help="Customer data housekeeping.")


@customers_cli.command("tiers")
@click.argument("slug", required=False)
def tiers(slug):
    """Recompute sales volumes (last 12 months of orders + history) and computed tiers for
    one tenant, or for every active tenant."""
    query = sa.select(Tenant).where(Tenant.status == "active")
    if slug:
        query = query.where(Tenant.slug == slug)
    tenants = list(db.session.scalars(query))
    if slug and not tenants:
        raise click.ClickException(f"no active tenant {slug!r}")
    for tenant in tenants:
        with tenant_scope(tenant):
            refresh_sales_volumes()
            recompute_tiers()
            db.session.commit()
    click.echo(f"tiers recomputed for {len(tenants)} tenants")
