"""`flask mail deliver`: send what waits in the outbox (cron, or an operator after an outage)."""
import click
from flask.cli import AppGroup

from app.job_scope import for_each_active_tenant, job_scope
from app.mail.delivery import Delivered, deliver_all, waiting

mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("deliver")
@click.option("--all", "waiting_too", is_flag=True,
              help="Also the messages still waiting out their retry time (e.g. the SMTP server is back).")
def deliver_command(waiting_too):
    """Send the due mail of the public outbox and of every active tenant's outbox."""
    total, left = Delivered(), []

    def one_outbox(_tenant=None):
        total.add(deliver_all(waiting_too=waiting_too))
        left.append(waiting())

    with job_scope(None, name="mail delivery"):
        one_outbox()
    result = for_each_active_tenant(one_outbox, name="mail delivery")
    click.echo(f"{total.sent} sent, {total.failed} failed, {sum(left)} waiting.")
    if sum(left) or result.failed:
        raise SystemExit(1)
