"""flask billing run|sync — the same services the web and the webhooks use."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from billing import jobs, subscriptions
from billing.gateways import GatewayUnavailable, get_gateway
from tenants.models import Tenant

billing_cli = AppGroup("billing", help="Subscriptions, invoices and dunning.")


@billing_cli.command("run")
@click.option("--queue", is_flag=True, help="Put the run on the job queue for a worker (inline without REDIS_URL).")
def run(queue):
    """Reminders, renewal invoices, suspensions, cancellations at period end, purges (daily)."""
    if queue:
        jobs.enqueue_daily_run()
        click.echo(f"queued {jobs.DAILY_RUN}")
        return
    done = jobs.daily_run()
    summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(done.items())) or "nothing to do"
    click.echo(summary)


@billing_cli.command("sync")
@click.argument("slug")
def sync(slug):
    """Reconcile one tenant's subscription with Stripe."""
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    subscription = subscriptions.for_tenant(tenant.id) if tenant is not None else None
    if subscription is None:
        raise click.ClickException(f"no subscription for {slug!r}")
    try:
        outcome = get_gateway(subscription.gateway).sync(subscription)
    except GatewayUnavailable as exc:
        raise click.ClickException(f"Stripe could not be reached: {exc}")
    db.session.commit()
    click.echo(f"{slug}: {outcome} (status {subscription.status})")
