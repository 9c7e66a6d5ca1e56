"""flask tenants list|create|migrate|status|pool|drop|backup|restore — the same services the web uses."""
import sys
import zipfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from tenants import backup as backups, provisioning
from tenants.migrating import head_revision, migrate_schemas, schema_versions
from tenants.models import Tenant

tenants_cli = AppGroup("tenants", help="Manage tenant schemas.")


def _all_tenants() -> list[Tenant]:
    return list(db.session.scalars(sa.select(Tenant).order_by(Tenant.id)))


def _by_slug(slug: str) -> Tenant:
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant


@tenants_cli.command("list")
def list_tenants():
    """Every tenant with its status and schema (pooled schemas are counted, not listed)."""
    pooled = 0
    for tenant in _all_tenants():
        if tenant.status == "pooled":
            pooled += 1
            continue
        click.echo(f"{tenant.slug:<32} {tenant.status:<10} {tenant.schema_name:<36} {tenant.name}")
    click.echo(f"({pooled} pooled schemas waiting)")


@tenants_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The business's display name.")
@click.option("--admin-email", required=True)
@click.option("--admin-name", default="")
@click.option("--password", default=None, help="The admin's password; without it a "
              "set-password link is e-mailed.")
@click.option("--locale", type=click.Choice(["zh_Hans", "zh_Hant", "en"]), default="zh_Hans")
@click.option("--time-zone", default="Asia/Shanghai")
@click.option("--currency", type=click.Choice(["CNY", "TWD", "HKD", "USD"]), default="CNY")
@click.option("--plan", default="professional", show_default=True,
              help="The plan the trial subscription starts on.")
def create(slug, name, admin_email, admin_name, password, locale, time_zone, currency, plan):
    """Create a tenant: schema, tables, seed data, its admin user and a trial subscription."""
    from app.auth.passwords import hash_password, password_problem
    from app.auth.services import send_set_password_mail

    if password and password_problem(password):
        raise click.ClickException(str(password_problem(password)))
    spec = provisioning.NewTenant(
        slug=slug, name=name, admin_email=admin_email, admin_name=admin_name, locale=locale,
        time_zone=time_zone, currency=currency,
        admin_password_hash=hash_password(password) if password else None,
    )
    try:
        tenant = provisioning.create_tenant(spec)
        start_cli_trial(tenant, plan, currency, admin_email)
    except (provisioning.ProvisioningError, ValueError) as exc:
        raise click.ClickException(str(exc))
    db.session.commit()
    if not password:
        send_set_password_mail(tenant, admin_email)
        db.session.commit()
    click.echo(f"created {tenant.slug} in schema {tenant.schema_name}: /t/{tenant.slug}/")


def start_cli_trial(tenant, plan_key: str, currency: str, email: str):
    from billing.plans import plan_by_key
    from billing.subscriptions import start_trial

    plan = plan_by_key(plan_key)
    if plan is None:
        raise click.ClickException(f"no plan {plan_key!r}")
    return start_trial(tenant, plan, currency, "month", actor="cli", billing_email=email)


@tenants_cli.command("status")
def status():
    """Each schema's tenant-history version against the head."""
    head = head_revision("tenant")
    tenants = _all_tenants()
    versions = schema_versions(db.session.connection(), [t.schema_name for t in tenants])
    behind = 0
    for tenant in tenants:
        version = versions.get(tenant.schema_name)
        mark = "ok" if version == head else "BEHIND"
        behind += version != head
        click.echo(f"{tenant.schema_name:<36} {tenant.status:<10} {version or '-':<16} {mark}")
    click.echo(f"head {head}: {len(tenants) - behind} at head, {behind} behind")


@tenants_cli.command("migrate")
@click.option("--jobs", default=4, show_default=True, help="Schemas migrated at once.")
def migrate(jobs):
    """Apply the tenant history to every tenant schema, pooled ones included."""
    if not migrate_all(jobs):
        sys.exit(1)


def migrate_all(jobs: int = 4) -> bool:
    """Migrate every schema behind head with a progress bar; False if any failed."""
    head = head_revision("tenant")
    schemas = [t.schema_name for t in _all_tenants()]
    versions = schema_versions(db.session.connection(), schemas)
    db.session.rollback()
    pending = [name for name in schemas if versions[name] != head]
    click.echo(f"{len(schemas)} schemas, {len(pending)} to migrate to {head}")
    failures = []
    with click.progressbar(length=len(pending), label="migrating") as bar:
        def done(result):
            bar.update(1)
            if not result.ok:
                failures.append(result)

        migrate_schemas(current_app.config["SQLALCHEMY_DATABASE_URI"], pending, jobs=jobs,
                        on_done=done)
    for failure in failures:
        click.echo(f"FAILED {failure.schema}: {failure.error}", err=True)
    click.echo(f"{len(pending) - len(failures)} migrated, {len(failures)} failed")
    return not failures


@tenants_cli.command("pool")
@click.option("--size", type=int, default=None, help="Schemas to keep waiting "
              "(default TENANT_POOL_TARGET).")
def pool(size):
    """Fill the warm pool of pre-built, unassigned schemas."""
    target = size if size is not None else current_app.config["TENANT_POOL_TARGET"]
    built = provisioning.fill_pool(target)
    click.echo(f"built {built}; {provisioning.pooled_count()} pooled schemas waiting")


@tenants_cli.command("drop")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Confirm: the schema and all its data are deleted.")
def drop(slug, yes):
    """Delete a canceled tenant's schema and data for good."""
    tenant = _by_slug(slug)
    if not yes:
        raise click.ClickException(
            f"this deletes {slug} and all its data for good; run again with --yes to confirm"
        )
    try:
        provisioning.drop_tenant(tenant)
    except provisioning.ProvisioningError as exc:
        raise click.ClickException(str(exc))
    db.session.commit()
    click.echo(f"dropped {slug}")


@tenants_cli.command("backup")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(slug, file):
    """Write one tenant's data and files to FILE (a zip; restore it with `restore`)."""
    manifest = backups.write_backup(_by_slug(slug), file)
    rows = sum(table["rows"] for table in manifest["tables"])
    click.echo(f"backed up {slug}: {len(manifest['tables'])} tables, {rows} rows -> {file}")


@tenants_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "slug", required=True, help="The new tenant's slug (its address).")
@click.option("--name", default=None, help="Display name (default: the backed-up tenant's).")
def restore(file, slug, name):
    """Create tenant SLUG from a backup FILE made by `backup`."""
    try:
        tenant = backups.restore_backup(file, slug, name)
        db.session.commit()
        files = backups.restore_uploads(file, tenant)
    except (backups.BackupError, provisioning.ProvisioningError, zipfile.BadZipFile) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc))
    click.echo(f"restored {slug} in schema {tenant.schema_name} ({files} files): /t/{slug}/")
