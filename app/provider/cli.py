"""flask provider create-user."""
import click
from flask.cli import AppGroup

from app.auth.passwords import password_problem
from app.extensions import db
from app.provider.models import PROVIDER_ROLES
from app.provider.services import ProviderUserError, create_provider_user

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
    click.echo(f"provider user {email} ({role}) created; log in at /provider/login")
