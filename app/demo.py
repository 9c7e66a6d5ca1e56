"""The demo workspace `make run` prepares: a tenant with a few users, customers and sales
data (app.demo_data, app.demo_sales), and a provider login.

Idempotent: running it again finds what is there and only prints the logins.
"""
import sqlalchemy as sa

from app.access.models import Role
from app.auth.models import User
from app.auth.passwords import hash_password
from app.extensions import db
from app.job_scope import job_context
from app.provider import services as provider_services
from tenants import provisioning
from tenants.context import tenant_scope
from tenants.models import Tenant

DEMO_SLUG = "demo"
DEMO_PASSWORD = "kehu-demo-2026"
PROVIDER_EMAIL = "provider@kehu.example"
DEMO_USERS = [
    # email, name, role key
    ("admin@demo.example", "王小明 (Admin)", "owner"),
    ("manager@demo.example", "李娜 (Sales manager)", "sales_manager"),
    ("rep@demo.example", "陈伟 (Sales rep)", "sales_rep"),
    ("agent@demo.example", "林美玲 (Call center)", "call_center_agent"),
]


def ensure_demo() -> list[tuple[str, str, str]]:
    """Create the demo tenant and provider user if missing; return (where, email, password)."""
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == DEMO_SLUG)).first()
    if tenant is None:
        tenant = provisioning.create_tenant(provisioning.NewTenant(
            slug=DEMO_SLUG, name="连天红家具 Demo", admin_email=DEMO_USERS[0][0],
            admin_name=DEMO_USERS[0][1], locale="zh_Hans",
            admin_password_hash=hash_password(DEMO_PASSWORD),
        ))
        _add_demo_users(tenant)
        # As a job of the tenant: its scope, its language, and links on BASE_URL (the demo's
        # notifications mail their readers).
        with job_context(tenant):
            from app.automation.capture import no_events
            from app.automation.demo import add_demo_rules
            from app.demo_data import add_demo_data
            from app.demo_sales import add_demo_sales
            from app.demo_tasks import add_demo_tasks

            admin = db.session.scalars(sa.select(User).where(User.email == DEMO_USERS[0][0])).one()
            with no_events():  # the demo's records are history: the demo rules do not run on them
                add_demo_data(admin.id)
                add_demo_sales(tenant)
                add_demo_tasks()
            add_demo_rules(admin.id)
        _subscribe_demo(tenant)
    else:
        _keep_demo_open(tenant)
    if provider_services.find_by_email(PROVIDER_EMAIL) is None:
        provider_services.create_provider_user(PROVIDER_EMAIL, "Provider owner", DEMO_PASSWORD,
                                               "owner")
    db.session.commit()
    logins = [(f"/t/{DEMO_SLUG}/login", email, DEMO_PASSWORD) for email, _, _ in DEMO_USERS]
    logins.append(("/provider/login", PROVIDER_EMAIL, DEMO_PASSWORD))
    return logins


def _add_demo_users(tenant: Tenant) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    with tenant_scope(tenant):
        roles = {role.key: role.id for role in db.session.scalars(sa.select(Role))}
        for email, name, role_key in DEMO_USERS[1:]:
            db.session.add(User(email=email, name=name, role_id=roles[role_key],
                                password_hash=password_hash))
        db.session.flush()


def _keep_demo_open(tenant: Tenant) -> None:
    """A later `make run` finds the demo as the first left it: once its paid month is over
    the billing run makes it past due, then suspends it; the demo gets a new month instead."""
    from billing import subscriptions
    from billing.clock import now
    from billing.periods import add_period
    from billing.states import transition

    subscription = subscriptions.for_tenant(tenant.id)
    if subscription is None or subscription.status not in ("active", "past_due", "suspended"):
        return
    if subscription.status == "active" and subscription.current_period_end > now():
        return
    subscription.current_period_start = now()
    subscription.current_period_end = add_period(subscription.current_period_start, "month")
    if subscription.status != "active":
        transition(subscription, "active", actor="demo", reason="demo workspace: a new paid month")


def _subscribe_demo(tenant: Tenant) -> None:
    """A paid Enterprise month: every built feature (approvals included) and room for the
    four demo users plus the admin's invitations. A trial would cap the workspace at the
    Trial plan's three users, one fewer than the demo already has."""
    from billing.clock import now
    from billing.periods import add_period
    from billing.states import transition
    from tenants.cli import start_cli_trial

    subscription = start_cli_trial(tenant, "enterprise", "CNY", DEMO_USERS[0][0])
    subscription.current_period_start = now()
    subscription.current_period_end = add_period(subscription.current_period_start, "month")
    transition(subscription, "active", actor="demo", reason="demo workspace: a paid Enterprise month")
