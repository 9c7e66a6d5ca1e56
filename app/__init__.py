"""The application factory: a table of contents of register_* calls."""
from pathlib import Path

from flask import Flask

from app.config import load_config
from app.database import CONNECT_ARGS, ping_on_checkout, resolve_database_url
from app.extensions import babel, csrf, db, limiter, login_manager
from tenants.context import entering_workspace

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(load_config(Path(app.instance_path), overrides))
    register_proxy(app)
    register_database(app)
    register_extensions(app)
    register_tenancy(app)
    register_blueprints(app)
    register_cli(app)
    register_request_hooks(app)
    return app


def register_proxy(app: Flask) -> None:
    """Trust X-Forwarded-* only as far as configured: each hop named is one proxy we run."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = {name: app.config[f"PROXY_FIX_X_{name.upper()}"]
            for name in ("for", "proto", "host", "prefix")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops["for"], x_proto=hops["proto"],
                                x_host=hops["host"], x_prefix=hops["prefix"])


def register_database(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or resolve_database_url(
        app.config["DATABASE_URL"], Path(app.instance_path), app.config["EMBEDDED_PGDATA"]
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    options["connect_args"] = {**CONNECT_ARGS, **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_extensions(app: Flask) -> None:
    from app import i18n, rate_limits  # noqa: F401  (registers the "kehudb://" limiter storage)
    from app.login import configure_login

    db.init_app(app)
    with app.app_context():
        ping_on_checkout(db.engine, skip=entering_workspace)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    configure_login(login_manager)


def register_tenancy(app: Flask) -> None:
    from app import public_schema, tenant_schema, usage
    from app.audit import capture  # noqa: F401  (writes the audit entries of every flush)
    from app.branding.services import mail_footer

    app.extensions["public_schema"] = public_schema
    app.extensions["tenant_schema"] = tenant_schema
    app.extensions["mail_footer"] = mail_footer  # app.mail appends the tenant's footer
    usage.register()


def register_blueprints(app: Flask) -> None:
    from app import features
    from app.admin.routes import bp as admin_bp
    from app.approvals.views import bp as approvals_bp
    from app.competitors.routes import bp as competitors_bp
    from app.forecast.views import bp as forecast_bp
    from app.opportunities.views import bp as opportunities_bp
    from app.orders.routes import bp as orders_bp
    from app.products.routes import bp as products_bp
    from app.quotes.routes import bp as quotes_bp
    from app.audit.views import bp as audit_bp
    from app.automation.views import bp as automation_bp
    from app.branding.views import bp as branding_bp
    from app.export.views import bp as export_bp
    from app.attachments.views import bp as attachments_bp
    from app.calendar.views import bp as calendar_bp
    from app.auth.views import bp as auth_bp
    from app.contacts.views import bp as contacts_bp
    from app.customers.routes import bp as customers_bp
    from app.customfields.views import bp as customfields_bp
    from app.documents.views import bp as documents_bp
    from app.imports.views import bp as imports_bp
    from app.lists.views import bp as lists_bp
    from app.search.views import bp as search_bp
    from app.teams.views import customer_team, deal_team
    from app.tasks.views import bp as tasks_bp
    from app.i18n import bp as i18n_bp
    from app.mail.views import bp as mail_bp
    from app.profile.views import bp as profile_bp
    from app.provider.routes import bp as provider_bp
    from app.signup.views import bp as signup_bp
    from app.site.views import bp as site_bp
    from app.myday.views import bp as myday_bp
    from app.notifications.views import bp as notifications_bp
    from app.announcements.views import bp as announcements_bp
    from app.timeline.views import bp as activity_bp
    from billing.views import bp as billing_bp
    from billing.webhook import bp as stripe_webhook_bp
    from tenants.resolution import workspace_blueprint

    workspace = workspace_blueprint()
    features.register(workspace)  # plan features: gate the modules before they are registered
    workspace.register_blueprint(auth_bp)
    for home_bp in (myday_bp, notifications_bp, announcements_bp):
        workspace.register_blueprint(home_bp)
    for module_bp in (customers_bp, contacts_bp, attachments_bp, customfields_bp, imports_bp,
                      lists_bp, search_bp, customer_team, activity_bp, tasks_bp, calendar_bp):
        workspace.register_blueprint(module_bp)
    workspace.register_blueprint(admin_bp)
    workspace.register_blueprint(profile_bp)
    workspace.register_blueprint(audit_bp)
    workspace.register_blueprint(export_bp)
    workspace.register_blueprint(branding_bp)
    workspace.register_blueprint(mail_bp)
    workspace.register_blueprint(billing_bp)
    workspace.register_blueprint(documents_bp)
    workspace.register_blueprint(automation_bp)
    for sales_bp in (products_bp, opportunities_bp, quotes_bp, orders_bp, approvals_bp,
                     forecast_bp, competitors_bp, deal_team):
        workspace.register_blueprint(sales_bp)
    app.register_blueprint(workspace)
    app.register_blueprint(provider_bp)
    app.register_blueprint(site_bp)
    app.register_blueprint(signup_bp)
    app.register_blueprint(stripe_webhook_bp)
    app.register_blueprint(i18n_bp)


def register_cli(app: Flask) -> None:
    from app.cli import db_cli, dev_cli, jobs_cli
    from app.customers.cli import customers_cli
    from app.mail.cli import mail_cli
    from app.provider.cli import provider_cli
    from app.quotes.cli import quotes_cli
    from billing.cli import billing_cli
    from tenants.cli import tenants_cli

    for group in (db_cli, dev_cli, jobs_cli, customers_cli, provider_cli, quotes_cli, tenants_cli,
                  billing_cli, mail_cli):
        app.cli.add_command(group)


def register_request_hooks(app: Flask) -> None:
    from app import errors, input_guard, security, templating, transactions
    from app.provider import impersonation

    errors.register(app)
    input_guard.register(app)
    impersonation.register(app)
    templating.register(app)
    security.register(app)
    transactions.register(app)
