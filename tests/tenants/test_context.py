"""Fail-closed tenant context: no tenant, no tenant data; scopes restore; nothing leaks."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from app.auth.models import User
from app.extensions import db
from tenants.context import (
    TenantContextMissing,
    TenantRef,
    current_tenant,
    tenant_scope,
)
from tenants.schema_names import InvalidSchemaName


def _emails():
    return set(db.session.scalars(sa.select(User.email)))


def test_orm_query_without_tenant_raises_before_any_sql(app_ctx):
    with pytest.raises(TenantContextMissing):
        db.session.scalars(sa.select(User)).all()


def test_raw_sql_without_tenant_finds_no_table(app_ctx, tenant):
    with pytest.raises(ProgrammingError, match='relation "users" does not exist'):
        db.session.execute(sa.text("SELECT email FROM users")).all()


def test_public_tables_stay_reachable_without_tenant(app_ctx, tenant):
    from tenants.models import Tenant

    assert db.session.scalar(sa.select(Tenant.slug).where(Tenant.id == tenant.id)) == tenant.slug


def test_scope_shows_only_its_tenant_and_restores_the_previous_one(app_ctx, new_tenant):
    first, second = new_tenant(), new_tenant()
    with tenant_scope(first):
        assert _emails() == {f"owner@{first.slug}.example"}
        with tenant_scope(second):
            assert current_tenant().slug == second.slug
            assert _emails() == {f"owner@{second.slug}.example"}
        assert current_tenant().slug == first.slug
        assert _emails() == {f"owner@{first.slug}.example"}
    assert current_tenant() is None
    with pytest.raises(TenantContextMissing):
        _emails()


def test_same_ids_in_two_tenants_never_mix_in_the_identity_map(app_ctx, new_tenant):
    first, second = new_tenant(), new_tenant()
    with tenant_scope(first):
        first_owner = db.session.get(User, 1)
        assert first_owner.email == f"owner@{first.slug}.example"
        with tenant_scope(second):
            assert db.session.get(User, 1).email == f"owner@{second.slug}.example"


def test_pending_objects_are_written_to_the_schema_they_were_made_in(app_ctx, new_tenant):
    first, second = new_tenant(), new_tenant()
    with tenant_scope(first):
        role_id = db.session.scalars(sa.select(User.role_id)).first()
        db.session.add(User(email="pending@example.com", name="Pending", role_id=role_id))
        with tenant_scope(second):
            assert "pending@example.com" not in _emails()
        db.session.commit()
    with tenant_scope(first):
        assert "pending@example.com" in _emails()
    with tenant_scope(second):
        assert "pending@example.com" not in _emails()


def test_a_pooled_connection_carries_no_schema_into_the_next_transaction(app, tenant):
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1,
                              max_overflow=0, connect_args={"options": "-c search_path="})
    from tenants.context import set_schema_on

    with engine.connect() as conn:
        with conn.begin():
            set_schema_on(conn, tenant.schema_name)
            assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar() == 1
    with engine.connect() as conn:  # the same pooled connection
        assert conn.exec_driver_sql("SHOW search_path").scalar() == '""' or \
            conn.exec_driver_sql("SHOW search_path").scalar() == ""
        with pytest.raises(ProgrammingError):
            conn.exec_driver_sql("SELECT count(*) FROM users")
    engine.dispose()


@pytest.mark.parametrize("bad", [
    "public; DROP TABLE users", "Tenant", "1abc", "a" * 64, "pg_catalog", "", "t-demo", 'x"y',
])
def test_tenant_refs_refuse_unsafe_schema_names(bad):
    with pytest.raises(InvalidSchemaName):
        TenantRef(id=1, slug="x", schema=bad)


def test_require_tenant_refuses_when_none_is_selected_and_names_it_inside_a_scope(app_ctx, tenant):
    from tenants.context import require_tenant

    with pytest.raises(TenantContextMissing):
        require_tenant()
    with tenant_scope(tenant) as ref:
        assert require_tenant() == ref and require_tenant().schema == tenant.schema_name
    with pytest.raises(TenantContextMissing):
        require_tenant()


def _names_in_public_and_tenant(schema: str) -> list[str]:
    return list(db.session.scalars(sa.text(
        "SELECT p.table_name FROM information_schema.tables p JOIN information_schema.tables t"
        " ON t.table_name = p.table_name AND t.table_schema = :schema"
        " WHERE p.table_schema = 'public' ORDER BY 1"), {"schema": schema}))


def test_without_a_tenant_the_search_path_is_empty_not_public(app_ctx, tenant):
    """Unqualified names resolve to nothing, even names that exist in public too."""
    db.session.rollback()  # a new transaction, begun with no tenant
    assert db.session.execute(sa.text("SHOW search_path")).scalar() in ('""', "")
    shared = _names_in_public_and_tenant(tenant.schema_name)
    db.session.rollback()
    assert "alembic_version" in shared  # both histories keep one
    for name in shared + ["tenants"]:
        with pytest.raises(ProgrammingError, match=f'relation "{name}" does not exist'):
            db.session.execute(sa.text(f'SELECT 1 FROM "{name}" LIMIT 1')).all()
        db.session.rollback()


def test_a_tenant_reference_defaults_to_an_active_english_utc_tenant_without_folders():
    ref = TenantRef(id=1, slug="acme", schema="tenant_acme")
    assert (ref.status, ref.files_key, ref.locale, ref.time_zone) == ("active", None, "en", "UTC")


def test_a_tenant_reference_copies_the_registry_row_and_fills_what_it_lacks():
    from types import SimpleNamespace

    row = SimpleNamespace(id=7, slug="shop", schema_name="tenant_shop", status="suspended",
                          files_key="f" + "0" * 32, locale="zh_Hant", time_zone="Asia/Taipei")
    ref = TenantRef.of(row)
    assert (ref.id, ref.slug, ref.schema, ref.status, ref.files_key, ref.locale, ref.time_zone) == (
        7, "shop", "tenant_shop", "suspended", "f" + "0" * 32, "zh_Hant", "Asia/Taipei")
    bare = TenantRef.of(SimpleNamespace(id=8, slug="b", schema_name="tenant_b", status="active",
                                        files_key=None, locale=None, time_zone=None))
    assert (bare.locale, bare.time_zone) == ("en", "UTC")
    assert TenantRef.of(ref) is ref


def test_a_tenant_reference_refuses_an_unsafe_folder_name_and_cannot_be_changed():
    import dataclasses

    with pytest.raises(InvalidSchemaName):
        TenantRef(id=1, slug="acme", schema="tenant_acme", files_key="../other")
    ref = TenantRef(id=1, slug="acme", schema="tenant_acme", files_key="facme")
    with pytest.raises(dataclasses.FrozenInstanceError):  # shared across threads and sessions
        ref.schema = "tenant_other"
