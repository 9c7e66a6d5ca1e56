"""flask provider create-user."""
import click
from flask.cli import AppGroup

from app.auth.passwords import password_problem
from app.extensions import db
from app.provider.models import PROVIDER_ROLES
from app.provider.services import (ProviderUserError, create_provider_user, find_by_email,
                                   reset_two_factor)

provider_cli = AppGroup("provider", help="Provider staff accounts.")


@provider_cli.command("create-user")
@click.argument("email")
@click.option("--name", default="")
@click.option("--role", type=click.Choice(PROVIDER_ROLES), default="owner", show_default=True)
@click.password_option()
def create_user(email, name, role, password):
    """Create a provider staff account (asks for the password)."""
    problem = password_problem(password)
    if problem:
        raise click.ClickException(str(problem))
    try:
        create_provider_user(email, name or email.split("@")[0], password, role)
    except ProviderUserError as exc:
        raise click.ClickException(str(exc))
    db.session.commit()
    click.echo(f"provider user {email} ({role}) created; log in at /provider/login "
               "(the first log-in sets up the authenticator app)")


@provider_cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor_command(email):
    """Forget a staff member's authenticator (lost phone): the next log-in sets up a new one."""
    user = find_by_email(email)
    if user is None:
        raise click.ClickException(f"no provider account for {email}")
    reset_two_factor(user)
    db.session.commit()
    click.echo(f"{email} sets up two-step verification again at the next log-in")
