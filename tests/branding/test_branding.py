"""Branding: saved whole or not at all, applied to the workspace and e-mails, logo served safely."""
import email
import email.policy
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.branding.models import Branding
from app.extensions import db
from tenants.context import tenant_scope
from tenants.files import upload_dir
from tests.admin_helpers import client_as, html
from tests.pictures import BROKEN_PNG, png, png_bomb

PNG = png()
FORM = {"company_name": "连天红家具", "primary_color": "#AA3300", "email_footer": "连天红家具\n客服 400-800-8000",
        "call_greeting": "您好，连天红家具", "call_closing": "感谢来电", "quote_header": "报价单",
        "quote_footer": "有效期 30 天"}


def _post(client, tenant, logo: bytes | None = None, **changes):
    data = {**FORM, **changes}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), "logo.png")
    return client.post(f"/t/{tenant.slug}/admin/branding", data=data,
                       content_type="multipart/form-data")


def _branding(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        row = db.session.get(Branding, 1)
        if row is not None:
            db.session.expunge(row)
        return row


def test_saved_branding_shows_in_the_workspace(app, owner_client, tenant):
    response = _post(owner_client, tenant, logo=PNG)
    assert response.status_code == 302
    saved = _branding(app, tenant)
    assert saved.primary_color == "#aa3300" and saved.call_greeting == "您好，连天红家具"
    assert saved.logo_type == "image/png" and saved.logo_bytes == len(PNG)
    page = html(owner_client.get(f"/t/{tenant.slug}/"))
    assert "连天红家具" in page and "/branding.css?v=aa3300" in page and "branding/logo?v=" in page
    assert "style=" not in page
    css = owner_client.get(f"/t/{tenant.slug}/branding.css")
    assert css.mimetype == "text/css" and "--kehu-brand: #aa3300;" in css.get_data(as_text=True)


def test_the_logo_is_served_as_an_image_never_as_a_page(app, owner_client, client, tenant):
    _post(owner_client, tenant, logo=PNG)
    response = client.get(f"/t/{tenant.slug}/branding/logo")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline; filename=logo.png")
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("logo, message", [
    (b"<svg onload=alert(1)></svg>", "The logo must be a PNG, JPEG, GIF or WebP image."),
    (b"<html><script>alert(1)</script></html>", "The logo must be a PNG, JPEG, GIF or WebP image."),
    (PNG + b"\x00" * (1024 * 1024), "The logo is too large: at most 1024 KB."),
    # Right first bytes, but no image in them: the quote PDF could not draw it.
    (BROKEN_PNG, "The logo must be a PNG, JPEG, GIF or WebP image."),
    (png_bomb(30_000, 30_000), "The logo has too many pixels: at most 25 million."),
])
def test_bad_logos_are_refused_in_place_and_nothing_is_saved(app, owner_client, tenant, logo,
                                                             message):
    response = _post(owner_client, tenant, logo=logo)
    assert response.status_code == 422 and message in html(response)
    assert _branding(app, tenant) is None
    with app.app_context():
        assert not (upload_dir(tenant) / "branding").exists()


def test_a_bad_colour_is_refused_and_the_old_branding_stays(app, owner_client, tenant):
    _post(owner_client, tenant)
    response = _post(owner_client, tenant, logo=PNG, primary_color="red;}body{", company_name="X")
    assert response.status_code == 422 and "Use a colour like #1f5fa8." in html(response)
    kept = _branding(app, tenant)
    assert kept.company_name == "连天红家具" and kept.logo_file is None


def test_replacing_and_removing_the_logo_keeps_the_folder_tidy(app, owner_client, tenant):
    _post(owner_client, tenant, logo=PNG)
    _post(owner_client, tenant, logo=PNG + b"second")
    _post(owner_client, tenant, logo=PNG + b"third")
    with app.app_context():
        assert len(list((upload_dir(tenant) / "branding").glob("logo-*"))) == 2  # now, and before
    _post(owner_client, tenant, remove_logo="y")
    assert _branding(app, tenant).logo_file is None
    assert owner_client.get(f"/t/{tenant.slug}/branding/logo").status_code == 404


def test_changes_are_audited_field_by_field(app, owner_client, tenant):
    _post(owner_client, tenant)
    _post(owner_client, tenant, call_closing="再见")
    with app.app_context(), tenant_scope(tenant):
        change = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.record_type == "branding", AuditEntry.action == "update")).one()
    assert change.changes == {"call_closing": ["感谢来电", "再见"]}
    assert change.user_label == f"owner@{tenant.slug}.example"


def test_outgoing_mail_carries_the_footer(app, owner_client, client, tenant):
    _post(owner_client, tenant)
    client.post(f"/t/{tenant.slug}/password/forgot", data={"email": f"owner@{tenant.slug}.example"})
    sink = Path(app.config["MAIL_SINK_DIR"])
    (path,) = sink.glob(f"*-owner_at_{tenant.slug}.example.eml")
    text = email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_content()
    assert text.rstrip().endswith("-- \n连天红家具\n客服 400-800-8000")


@pytest.mark.parametrize("role_key, status", [("admin", 200), ("sales_rep", 403),
                                              ("call_center_agent", 403)])
def test_only_admins_change_branding(app, tenant, role_key, status):
    client = client_as(app, tenant, role_key)
    assert client.get(f"/t/{tenant.slug}/admin/branding").status_code == status
    if status == 403:
        assert _post(client, tenant).status_code == 403 and _branding(app, tenant) is None
