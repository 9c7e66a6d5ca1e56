"""A tenant's files die with it: a new sign-up at the same address starts with none."""
import io
import zipfile

from app.extensions import db
from tenants import provisioning
from tenants.files import export_dir, upload_dir
from tenants.models import Tenant
from tests.conftest import TEST_PASSWORD, login, make_tenant


def _drop(app, tenant) -> None:
    with app.app_context():
        row = db.session.get(Tenant, tenant.id)
        row.status = "canceled"
        provisioning.drop_tenant(row)
        db.session.commit()


def _recreate(app, slug: str):
    from app.auth.passwords import hash_password

    with app.app_context():
        again = provisioning.claim_pooled_tenant(provisioning.NewTenant(
            slug=slug, name="Someone else", admin_email=f"owner@{slug}.example", locale="en",
            admin_password_hash=hash_password(TEST_PASSWORD)))
        db.session.commit()
        db.session.refresh(again)
        db.session.expunge(again)
    return again


def test_a_new_tenant_at_a_dropped_address_gets_none_of_its_files(app):
    first = make_tenant(app)
    with app.app_context():
        uploads, exports = upload_dir(first), export_dir(first)
    (uploads / "attachments").mkdir(parents=True)
    (uploads / "attachments" / "contract.pdf").write_bytes(b"%PDF secret of the first owner")
    exports.mkdir(parents=True)
    (exports / "export-1-old.zip").write_bytes(b"PK old export")

    _drop(app, first)
    assert not uploads.exists() and not exports.exists()

    second = _recreate(app, first.slug)
    assert second.schema_name == first.schema_name  # the same address, the same schema name
    with app.app_context():
        assert upload_dir(second) != uploads and export_dir(second) != exports
    client = app.test_client()
    assert login(client, second).status_code == 302
    assert client.post(f"/t/{second.slug}/admin/export/").status_code == 302
    response = client.get(f"/t/{second.slug}/admin/export/1/download")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert not [name for name in names if name.startswith("attachments/")]


def test_a_drop_rolled_back_keeps_the_files(app):
    tenant = make_tenant(app)
    with app.app_context():
        uploads = upload_dir(tenant)
        uploads.mkdir(parents=True)
        (uploads / "kept.txt").write_text("still here")
        row = db.session.get(Tenant, tenant.id)
        row.status = "canceled"
        provisioning.drop_tenant(row)
        db.session.rollback()
    assert (uploads / "kept.txt").read_text() == "still here"


def test_folders_are_named_by_a_random_key_not_the_schema_name(app):
    tenant = make_tenant(app)
    with app.app_context():
        assert tenant.schema_name not in str(upload_dir(tenant))
        assert upload_dir(tenant).name == tenant.files_key != make_tenant(app).files_key
