"""What every benchmark shares: its database, and its section of docs/PERFORMANCE.md."""
import os
import re
from pathlib import Path

from sqlalchemy.engine import make_url

from app.database import create_database_if_missing, embedded_server_url, sqlalchemy_url

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
DOC_INTRO = """# Performance

Figures measured on the project's development machine (2 cores). Each section
holds the figures of the latest `make bench`, which rewrites it. Benchmarks
are not tests: a missed target is reported here and by the run, and never
fails the build.
"""


def bench_database_url(database: str) -> str:
    """`database` on the DATABASE_URL server, else on the embedded server under
    instance/pgdata-bench (default durable settings, unlike the test server)."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        return embedded_server_url(ROOT / "instance" / "pgdata-bench", database)
    admin_url = make_url(sqlalchemy_url(server))
    create_database_if_missing(admin_url.render_as_string(hide_password=False), database)
    return admin_url.set(database=database).render_as_string(hide_password=False)


def write_section(heading: str, section: str, doc: Path = DOC) -> None:
    """Replace the "## heading" section of doc (docs/PERFORMANCE.md by default; up to the
    next "## "), keep the rest."""
    text = doc.read_text() if doc.exists() else DOC_INTRO
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text.rstrip("\n") + "\n")


def fresh_bench_tenant(database: str, slug: str, name: str, password: str | None = None,
                       **config):
    """`database` made anew and migrated, with one tenant `slug` in it.

    Returns (app, tenant, where): the tenant detached from its session, `where` the server
    and its version as the report names them. config overrides the app's settings."""
    import sqlalchemy as sa

    from app import create_app
    from app.auth.passwords import hash_password
    from app.extensions import db
    from bench.tenancy import progress, reset_database
    from tenants import provisioning
    from tenants.migrating import upgrade_public

    url = bench_database_url(database)
    server = "DATABASE_URL server" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL"
    progress(f"resetting {database}")
    reset_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_TIME_COST": 1,
                      "PASSWORD_HASH_MEMORY_KIB": 8192, "TENANT_POOL_TARGET": 0,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, **config})
    with app.app_context():
        upgrade_public(db.engine)
        version = db.session.scalar(sa.text("SHOW server_version")).split()[0]
        tenant = provisioning.create_tenant(provisioning.NewTenant(
            slug=slug, name=name, admin_email=f"owner@{slug}.example",
            admin_password_hash=hash_password(password) if password else None))
        db.session.commit()
        db.session.refresh(tenant)
        db.session.expunge(tenant)
    return app, tenant, f"{server} {version}"
