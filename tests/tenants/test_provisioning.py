"""Creating tenants from scratch and from the warm pool, and dropping them."""
import pytest
import sqlalchemy as sa

from app.access.models import Role
from app.auth.models import User
from app.extensions import db
from app.sales.models import PipelineStage
from tenants import provisioning
from tenants.context import tenant_scope
from tenants.models import Tenant


def _spec(slug, **fields):
    return provisioning.NewTenant(slug=slug, name=f"{slug} Ltd", admin_email=f"boss@{slug}.example",
                                  **fields)


def _schema_exists(name):
    return db.session.scalar(
        sa.text("SELECT count(*) FROM pg_namespace WHERE nspname = :n"), {"n": name}
    ) == 1


def test_create_tenant_builds_schema_seed_and_admin(app_ctx):
    tenant = provisioning.create_tenant(_spec("fresh-build", locale="en"))
    db.session.commit()
    assert tenant.schema_name == "t_fresh_build" and _schema_exists("t_fresh_build")
    with tenant_scope(tenant):
        roles = set(db.session.scalars(sa.select(Role.key)))
        stages = db.session.scalars(sa.select(PipelineStage.name).order_by(PipelineStage.position))
        admin = db.session.scalars(sa.select(User)).one()
    assert roles == {"owner", "admin", "sales_manager", "sales_rep", "service_agent",
                     "call_center_agent", "read_only"}
    assert list(stages) == ["Qualify", "Needs analysis", "Proposal / quote", "Negotiation",
                            "Won", "Lost"]
    assert admin.email == "boss@fresh-build.example" and admin.role.key == "owner"
    assert admin.password_hash is None  # set through the e-mailed link


def test_stage_names_follow_the_tenant_language(app_ctx, new_tenant):
    tenant = new_tenant(locale="zh_Hant")
    with tenant_scope(tenant):
        names = db.session.scalars(sa.select(PipelineStage.name).order_by(PipelineStage.position))
        assert list(names)[:2] == ["初步接洽", "需求分析"]


@pytest.mark.parametrize("slug, message", [
    ("ab", "3–32 characters"),
    ("Upper", "3–32 characters"),
    ("has_underscore", "3–32 characters"),
    ("-starts-with-hyphen", "3–32 characters"),
    ("double--hyphen", "double hyphens"),
    ("provider", "reserved"),
    ("x" * 33, "3–32 characters"),
])
def test_bad_slugs_are_refused_and_nothing_is_created(app_ctx, slug, message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Tenant))
    with pytest.raises(provisioning.ProvisioningError, match=message):
        provisioning.create_tenant(_spec(slug))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Tenant)) == before


def test_taken_slug_is_refused(app_ctx, tenant):
    with pytest.raises(provisioning.ProvisioningError, match="already taken"):
        provisioning.claim_pooled_tenant(_spec(tenant.slug))


def test_claiming_renames_a_pooled_schema(app_ctx):
    provisioning.fill_pool(provisioning.pooled_count() + 1)
    pooled = db.session.scalars(
        sa.select(Tenant).where(Tenant.status == "pooled").order_by(Tenant.id)
    ).first()
    old_schema = pooled.schema_name
    tenant = provisioning.claim_pooled_tenant(_spec("from-pool", locale="en"))
    db.session.commit()
    assert tenant.id == pooled.id and tenant.status == "active"
    assert tenant.schema_name == "t_from_pool"
    assert not _schema_exists(old_schema) and _schema_exists("t_from_pool")
    with tenant_scope(tenant):
        assert db.session.scalars(sa.select(User.email)).one() == "boss@from-pool.example"


def test_claiming_with_an_empty_pool_builds_a_schema(app_ctx):
    locked = db.session.scalars(sa.select(Tenant.id).where(Tenant.status == "pooled")).all()
    with db.engine.connect() as other:  # another sign-up holds every pooled row
        other.begin()
        other.execute(sa.text("SELECT id FROM public.tenants WHERE id = ANY(:ids) FOR UPDATE"),
                      {"ids": locked})
        tenant = provisioning.claim_pooled_tenant(_spec("pool-busy"))
        db.session.commit()
        other.rollback()
    assert tenant.id not in locked and _schema_exists("t_pool_busy")


def test_only_canceled_tenants_can_be_dropped(app_ctx, tenant):
    tenant = db.session.get(Tenant, tenant.id)
    with pytest.raises(provisioning.ProvisioningError, match="only canceled"):
        provisioning.drop_tenant(tenant)
    tenant.status = "canceled"
    provisioning.drop_tenant(tenant)
    db.session.commit()
    assert not _schema_exists(tenant.schema_name)
    assert db.session.get(Tenant, tenant.id) is None
