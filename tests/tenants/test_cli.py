"""flask tenants list|create|status|pool|drop as an operator uses them."""
import sqlalchemy as sa

from app.extensions import db
from tenants.models import Tenant

import pytest

pytestmark = pytest.mark.xdist_group("registry")


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["tenants", *args])


def test_create_list_and_set_password_mail(app):
    result = _run(app, "create", "cli-made", "--name", "CLI Made 有限公司",
                  "--admin-email", "Boss@CLI-Made.example", "--locale", "zh_Hant")
    assert result.exit_code == 0, result.output
    assert "created cli-made in schema t_cli_made" in result.output
    listing = _run(app, "list").output
    assert "cli-made" in listing and "CLI Made 有限公司" in listing
    from pathlib import Path
    mails = list(Path(app.config["MAIL_SINK_DIR"]).glob("*boss_at_cli-made.example.eml"))
    assert len(mails) == 1
    from billing.subscriptions import for_tenant

    with app.app_context():
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "cli-made")).one()
        subscription = for_tenant(tenant.id)
        assert (subscription.status, subscription.plan.key) == ("trialing", "professional")


def test_create_refuses_bad_input_with_a_message(app):
    assert "reserved" in _run(app, "create", "admin", "--name", "X", "--admin-email", "a@b.example").output
    assert "at least 10" in _run(app, "create", "weak-pass", "--name", "X", "--admin-email",
                                 "a@b.example", "--password", "123").output
    with app.app_context():
        assert db.session.scalar(sa.select(Tenant).where(Tenant.slug == "weak-pass")) is None


def test_pool_fills_to_the_asked_size(app):
    from tenants.provisioning import pooled_count

    with app.app_context():
        target = pooled_count() + 2
    result = _run(app, "pool", "--size", str(target))
    assert result.exit_code == 0
    assert f"built 2; {target} pooled schemas waiting" in result.output


def test_status_shows_every_schema_at_head(app, tenant):
    output = _run(app, "status").output
    assert f"{tenant.schema_name}" in output and "0 behind" in output


def test_drop_needs_yes_and_a_canceled_tenant(app, tenant):
    refused = _run(app, "drop", tenant.slug)
    assert refused.exit_code != 0 and "--yes" in refused.output
    active = _run(app, "drop", tenant.slug, "--yes")
    assert active.exit_code != 0 and "only canceled tenants" in active.output
    with app.app_context():
        db.session.get(Tenant, tenant.id).status = "canceled"
        db.session.commit()
    dropped = _run(app, "drop", tenant.slug, "--yes")
    assert dropped.exit_code == 0 and f"dropped {tenant.slug}" in dropped.output
    assert _run(app, "drop", "never-there", "--yes").exit_code != 0
