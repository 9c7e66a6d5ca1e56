"""Plan limits where they bite: seats, records (one by one and by import), storage; and usage figures."""
import io

import pytest
import sqlalchemy as sa

from app import storage
from app.auth.models import User
from app.branding.models import Branding
from app.contacts.models import Contact
from app.customers import services as customers
from app.customers.models import Customer
from app.extensions import db
from app.imports import pipeline, services as imports
from app.imports.models import ImportJob
from app.imports.targets import TARGETS
from app.users.models import Invitation
from billing import limits
from billing.usage import usage_of
from tenants.context import tenant_scope
from tests.billing.conftest import on_small_plan, subscribe
from tests.branding.test_branding import PNG
from tests.mailbox import mail_count

UPGRADE_LINK = 'href="/t/{slug}/billing/"'


def _html(response) -> str:
    return response.get_data(as_text=True)


def _owner_id():
    return db.session.scalars(sa.select(User.id)).first()


def _invite(app, client, tenant, email):
    from app.access.models import Role

    with app.app_context(), tenant_scope(tenant):
        role_id = db.session.scalars(sa.select(Role.id).where(Role.key == "sales_rep")).one()
    return client.post(f"/t/{tenant.slug}/admin/users/invite", data={"email": email, "role": role_id, "unit": 0})


def test_the_trial_plan_seats_count_users_and_open_invitations(app, tenant, owner_client):
    subscribe(app, tenant, "trialing")  # the Trial plan's limits apply: 3 users
    assert _invite(app, owner_client, tenant, "two@example.com").status_code == 302
    assert "1 seats left" in _html(owner_client.get(f"/t/{tenant.slug}/admin/users"))
    assert _invite(app, owner_client, tenant, "three@example.com").status_code == 302
    refused = _invite(app, owner_client, tenant, "four@example.com")
    assert refused.status_code == 422
    page = _html(refused)
    assert "All 3 users of your plan are taken" in page
    assert UPGRADE_LINK.format(slug=tenant.slug) in page
    with app.app_context(), tenant_scope(tenant):
        assert sorted(db.session.scalars(sa.select(Invitation.email))) == ["three@example.com", "two@example.com"]
    assert mail_count(app, "four@example.com") == 0


def test_reactivating_a_user_beyond_the_seat_limit_is_refused_with_a_page(app, tenant, owner_client):
    on_small_plan(app, tenant, seats=1)
    with app.app_context(), tenant_scope(tenant):
        owner = db.session.get(User, _owner_id())
        db.session.add(User(email="gone@example.com", name="Gone", role_id=owner.role_id,
                            password_hash="x", active=False))
        db.session.commit()
        gone = db.session.scalars(sa.select(User.id).where(User.email == "gone@example.com")).one()
    response = owner_client.post(f"/t/{tenant.slug}/admin/users/{gone}/reactivate")
    assert response.status_code == 422
    assert "All 1 users of your plan are taken" in _html(response)
    assert UPGRADE_LINK.format(slug=tenant.slug) in _html(response)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(User, gone).active is False


def test_a_customer_beyond_the_record_limit_is_refused_and_not_saved(app, tenant):
    on_small_plan(app, tenant, records=2)
    with app.test_request_context(), tenant_scope(tenant):
        customer = customers.create_customer({"name": "One"}, _owner_id())
        db.session.add(Contact(name="Contact of One", customer_id=customer.id))
        db.session.commit()
        with pytest.raises(limits.LimitReached) as refused:
            customers.create_customer({"name": "Three"}, _owner_id())
        assert "allows 2 customer and contact records and 2 are in use" in str(refused.value)
        db.session.rollback()
        assert db.session.scalars(sa.select(Customer.name)).all() == ["One"]


def test_deleted_records_free_their_place(app, tenant):
    on_small_plan(app, tenant, records=1)
    with app.test_request_context(), tenant_scope(tenant):
        first = customers.create_customer({"name": "Old"}, _owner_id())
        db.session.commit()
        with pytest.raises(limits.LimitReached):  # the one place is taken
            customers.create_customer({"name": "Refused"}, _owner_id())
        db.session.rollback()
        customers.soft_delete([first.id])
        customers.create_customer({"name": "New"}, _owner_id())  # the deleted one no longer counts
        db.session.commit()
        live = sa.select(Customer.name).where(Customer.deleted_at.is_(None))
        assert db.session.scalars(live).all() == ["New"]
        with pytest.raises(limits.LimitReached):  # and the place is taken again
            customers.create_customer({"name": "Third"}, _owner_id())
        db.session.rollback()


CSV = "客户名称,邮箱\n甲公司,a@x.cn\n乙公司,b@x.cn\n丙公司,c@x.cn\n"


def _import(csv: str):
    job = imports.stage_upload("customers", "customers.csv", csv.encode(), _owner_id())
    headers, _rows = imports.table_of(job)
    imports.start(job, pipeline.suggest_mapping(TARGETS["customers"], headers, None), "skip", _owner_id())
    return db.session.get(ImportJob, job.id)


def test_an_import_that_would_exceed_the_record_limit_writes_nothing(app, tenant):
    on_small_plan(app, tenant, records=3)
    with app.test_request_context(), tenant_scope(tenant):
        customers.create_customer({"name": "Existing"}, _owner_id())
        db.session.commit()
        job = _import(CSV)
        assert job.status == "failed"
        assert "allows 3 customer and contact records and 1 are in use, so 3 more do not fit" in job.message
        assert "Nothing was saved" in job.message
        assert db.session.scalars(sa.select(Customer.name)).all() == ["Existing"]
        # Rows matching existing records are skipped, not created: they do not count.
        fits = _import("客户名称,邮箱\n甲公司,a@x.cn\n乙公司,b@x.cn\n")
        assert fits.status == "done" and fits.created_count == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 3


def _upload_logo(client, tenant, logo: bytes):
    return client.post(f"/t/{tenant.slug}/admin/branding", content_type="multipart/form-data",
                       data={"primary_color": "#aa3300", "logo": (io.BytesIO(logo), "logo.png")})


def test_a_logo_beyond_the_storage_limit_is_refused_with_an_upgrade_link(app, tenant, owner_client):
    on_small_plan(app, tenant, storage_mb=1)
    with app.test_request_context(), tenant_scope(tenant):
        storage.save("documents", b"x" * (1024 * 1024 - len(PNG) + 1))
        assert limits.storage_allows(len(PNG) - 1) and not limits.storage_allows(len(PNG))
    response = _upload_logo(owner_client, tenant, PNG)
    assert response.status_code == 422
    page = _html(response)
    assert "Your plan allows 1 MB of files and 1 MB are in use, so this file does not fit" in page
    assert UPGRADE_LINK.format(slug=tenant.slug) in page
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Branding, 1) is None
        assert usage_of(tenant).storage_bytes == 1024 * 1024 - len(PNG) + 1


def test_without_a_subscription_nothing_is_limited(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        assert limits.current_limits() is None and limits.storage_allows(10**12)
        limits.check("records", 10**9)


def test_usage_counts_live_records_and_stored_bytes_on_both_pages(app, tenant, owner_client):
    subscribe(app, tenant, "trialing")
    with app.test_request_context(), tenant_scope(tenant):
        kept = customers.create_customer({"name": "Kept"}, _owner_id())
        gone = customers.create_customer({"name": "Gone"}, _owner_id())
        db.session.add_all([Contact(name="A", customer_id=kept.id), Contact(name="B", customer_id=kept.id),
                            Contact(name="Deleted", deleted_at=sa.func.now())])
        customers.soft_delete([gone.id])
        storage.save("documents", b"y" * (3 * 1024 * 1024 + 5))
        db.session.commit()
    with app.app_context():
        usage = usage_of(tenant)
    assert (usage.seats, usage.records, usage.storage_bytes, usage.storage_mb) == (1, 3, 3 * 1024 * 1024 + 5, 4)
    billing_page = _html(owner_client.get(f"/t/{tenant.slug}/billing/"))
    assert "3 / 1000" in billing_page and "4 / 500" in billing_page
    from tests.console import provider_login
    from tests.provider.test_console import PASSWORD

    provider = app.test_client()
    result = app.test_cli_runner().invoke(args=["provider", "create-user", f"usage@{tenant.slug}.example",
                                                "--role", "support"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert provider_login(provider, f"usage@{tenant.slug}.example", PASSWORD).status_code == 302
    console_page = _html(provider.get(f"/provider/tenants/{tenant.id}"))
    assert "records 3" in console_page and "storage 4 MB" in console_page


def test_the_customer_form_keeps_what_was_typed_when_the_record_limit_is_reached(app, tenant, owner_client):
    on_small_plan(app, tenant, records=0)
    response = owner_client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": "Typed with care", "kind": "company", "type": "customer", "currency": "CNY", "tier": ""})
    page = _html(response)
    assert response.status_code == 422
    assert "Nothing was saved" in page and UPGRADE_LINK.format(slug=tenant.slug) in page
    assert 'value="Typed with care"' in page  # the form comes back filled in


def test_an_attachment_beyond_the_storage_limit_is_refused(app, tenant, owner_client):
    created = owner_client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": "Files", "kind": "company", "type": "customer", "currency": "CNY", "tier": ""})
    customer_id = int(created.location.rstrip("/").rsplit("/", 1)[-1])
    on_small_plan(app, tenant, storage_mb=1)
    page = _html(owner_client.post(f"/t/{tenant.slug}/attachments/", data={
        "customer_id": customer_id, "file": (io.BytesIO(b"%PDF-" + b"x" * (1024 * 1024 + 1)), "big.pdf")},
        content_type="multipart/form-data", follow_redirects=True))
    assert "this file does not fit" in page and "big.pdf attached" not in page
    assert UPGRADE_LINK.format(slug=tenant.slug) in page
