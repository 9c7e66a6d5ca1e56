"""flask db upgrade|status (public schema) and flask dev setup (what make run prepares)."""
import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from tenants import provisioning
from tenants.cli import migrate_all
from tenants.migrating import head_revision, upgrade_public

db_cli = AppGroup("db", help="The public schema's migrations.")
dev_cli = AppGroup("dev", help="Development set-up.")
jobs_cli = AppGroup("jobs", help="Background jobs (RQ on Redis when REDIS_URL is set).")


@jobs_cli.command("worker")
def worker():
    """Run a queue worker; jobs run inline instead when REDIS_URL is unset."""
    from redis import Redis
    from rq import Queue, Worker

    redis_url = current_app.config["REDIS_URL"]
    if not redis_url:
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed")
    connection = Redis.from_url(redis_url)
    Worker([Queue("kehu", connection=connection)], connection=connection).work()


@jobs_cli.command("tick")
@click.option("--only", multiple=True, help="Run only this handler (repeatable).")
def tick(only):
    """Run the due scheduled work of every active tenant once (cron: every minute)."""
    from app.scheduler.tick import tick as run_tick

    result = run_tick(names=list(only) or None)
    click.echo(f"{len(result.done)} ran, {len(result.failed)} failed, {result.queued} queued")


@jobs_cli.command("scheduler")
@click.option("--interval", type=click.FloatRange(min=1), default=30, show_default=True,
              help="Seconds between ticks.")
@click.option("--only", multiple=True, help="Run only this handler (repeatable).")
def scheduler(interval, only):
    """Tick every --interval seconds until SIGTERM or Ctrl-C (instead of the cron line)."""
    from app.scheduler.loop import run_forever

    run_forever(interval, echo=click.echo, names=list(only) or None)


@db_cli.command("upgrade")
def upgrade():
    """Apply the public history (tenant registry, plans, provider staff)."""
    upgrade_public(db.engine)
    click.echo(f"public schema at {head_revision('public')}")


@db_cli.command("status")
def status():
    with db.engine.connect() as connection:
        version = connection.exec_driver_sql(
            "SELECT version_num FROM public.alembic_version"
        ).scalar()
    click.echo(f"public schema at {version}; head is {head_revision('public')}")


@dev_cli.command("setup")
def setup():
    """Migrate everything, create the demo workspace, fill the warm pool, print the logins."""
    from app.demo import ensure_demo

    upgrade_public(db.engine)
    if not migrate_all():
        raise click.ClickException("some tenant schemas failed to migrate (see above)")
    logins = ensure_demo()
    provisioning.fill_pool(current_app.config["TENANT_POOL_TARGET"])
    base = current_app.config["BASE_URL"]
    click.echo("\nDemo log-ins (password for all: shown at the right):")
    for where, email, password in logins:
        click.echo(f"  {base}{where:<24} {email:<26} {password}")
    click.echo("The provider console then asks for an authenticator-app code: the first log-in "
               "shows the key to add to the app (see README).")
