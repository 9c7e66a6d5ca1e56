"""Files on competitor profiles: attached and listed on the profile, previewed safely, under the
sales permission, never served by the customers' attachment routes, counted against storage."""
import io
import re

import sqlalchemy as sa

from app.extensions import db
from app.timeline.models import TimelineEntry
from tenants.context import tenant_scope
from tests.billing.conftest import on_small_plan
from tests.conftest import client_as, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
MB = 1024 * 1024


def _competitor(client, tenant, name="宜家家居") -> str:
    """A new competitor; returns the path of its page."""
    response = client.post(f"/t/{tenant.slug}/competitors/new", data={
        "name": name, "price_position": "lower"})
    assert response.status_code == 302
    return response.location


def _upload(client, page, data, name):
    return client.post(f"{page}/attachments", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True
                       ).get_data(as_text=True)


def _file_links(page_html) -> list[str]:
    return re.findall(r'href="(/t/[^"]+/competitors/\d+/attachments/\d+)"', page_html)


def test_a_price_list_is_attached_listed_and_previewed_safely(app, tenant, owner_client):
    page = _competitor(owner_client, tenant)
    shown = _upload(owner_client, page, PDF, "宜家 价目表.pdf")
    assert "宜家 价目表.pdf attached." in shown
    assert "宜家 价目表.pdf</a>" in shown and "preview" in shown
    [link] = _file_links(shown)

    preview = owner_client.get(link + "?inline=1")
    assert preview.status_code == 200 and preview.get_data() == PDF
    assert preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline; filename*=UTF-8''")
    assert preview.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in preview.headers["Content-Security-Policy"]

    download = owner_client.get(link)
    assert download.headers["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E5%AE%9C%E5%AE%B6%20%E4%BB%B7%E7%9B%AE%E8%A1%A8.pdf")
    # A competitor has no timeline: the file is only on its profile.
    with app.app_context(), tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry)) == 0


def test_html_disguised_as_a_picture_is_only_ever_a_download(owner_client, tenant):
    page = _competitor(owner_client, tenant)
    shown = _upload(owner_client, page, b"<script>alert(1)</script>", "logo.png")
    assert "preview" not in shown
    [link] = _file_links(shown)
    response = owner_client.get(link + "?inline=1")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_empty_and_oversized_files_are_refused_and_nothing_is_saved(owner_client, tenant,
                                                                    monkeypatch):
    page = _competitor(owner_client, tenant)
    shown = _upload(owner_client, page, b"", "empty.pdf")
    assert "The file is empty." in shown and "No documents yet." in shown
    monkeypatch.setattr("app.attachments.services.MAX_BYTES", 10)
    shown = _upload(owner_client, page, b"x" * 11, "huge.zip")
    assert "Files can be at most 20 MB." in shown and "No documents yet." in shown
    assert _file_links(shown) == []
    no_file = owner_client.post(f"{page}/attachments", data={}, follow_redirects=True)
    assert "Choose a file to attach." in no_file.get_data(as_text=True)


def test_a_read_only_user_downloads_but_cannot_attach_or_remove(app, tenant, owner_client):
    page = _competitor(owner_client, tenant)
    [link] = _file_links(_upload(owner_client, page, PDF, "brochure.pdf"))
    reader = client_as(app, tenant, "read_only")
    seen = reader.get(page).get_data(as_text=True)
    assert "brochure.pdf" in seen and "Attach" not in seen and "Remove" not in seen
    assert reader.get(link).get_data() == PDF
    refused = reader.post(f"{page}/attachments",
                          data={"file": (io.BytesIO(PDF), "mine.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 403
    assert reader.post(f"{link}/delete").status_code == 403
    assert owner_client.get(link).get_data() == PDF
    assert "mine.pdf" not in owner_client.get(page).get_data(as_text=True)


def test_another_tenant_cannot_fetch_the_file(app, tenant, owner_client, new_tenant):
    page = _competitor(owner_client, tenant)
    [link] = _file_links(_upload(owner_client, page, PDF, "secret.pdf"))
    other = new_tenant()
    outsider = app.test_client()
    assert login(outsider, other).status_code == 302
    # Its own workspace has no such competitor file, and the first tenant's is not open to it.
    assert outsider.get(link.replace(f"/t/{tenant.slug}/", f"/t/{other.slug}/")).status_code == 404
    foreign = outsider.get(link)
    assert foreign.status_code in (302, 403, 404) and foreign.get_data() != PDF


def test_the_customers_attachment_routes_do_not_serve_it(owner_client, tenant):
    page = _competitor(owner_client, tenant)
    [link] = _file_links(_upload(owner_client, page, PDF, "rival.pdf"))
    attachment_id = link.rsplit("/", 1)[-1]
    generic = f"/t/{tenant.slug}/attachments/{attachment_id}"
    assert owner_client.get(generic).status_code == 404
    assert owner_client.get(generic + "?inline=1").status_code == 404
    assert owner_client.post(generic + "/delete").status_code == 404
    assert owner_client.get(link).get_data() == PDF
    # Nor does another competitor's address reach it.
    other = _competitor(owner_client, tenant, name="Natuzzi")
    assert owner_client.get(f"{other}/attachments/{attachment_id}").status_code == 404


def test_a_file_beyond_the_storage_limit_is_refused_with_the_way_to_upgrade(app, tenant,
                                                                            owner_client):
    page = _competitor(owner_client, tenant)
    on_small_plan(app, tenant, storage_mb=1)
    shown = _upload(owner_client, page, b"%PDF-" + b"x" * MB, "catalogue.pdf")
    assert "this file does not fit" in shown and "Upgrade" in shown
    assert f'href="/t/{tenant.slug}/billing/"' in shown
    assert "catalogue.pdf attached" not in shown and "No documents yet." in shown


def test_removing_a_file_frees_its_storage(app, tenant, owner_client):
    page = _competitor(owner_client, tenant)
    on_small_plan(app, tenant, storage_mb=1)
    half = b"%PDF-" + b"x" * (MB * 6 // 10)
    [first] = _file_links(_upload(owner_client, page, half, "old.pdf"))
    assert "does not fit" in _upload(owner_client, page, half, "new.pdf")
    removed = owner_client.post(f"{first}/delete", follow_redirects=True).get_data(as_text=True)
    assert "old.pdf removed." in removed and "No documents yet." in removed
    assert owner_client.get(first).status_code == 404
    shown = _upload(owner_client, page, half, "new.pdf")
    assert "new.pdf attached." in shown and len(_file_links(shown)) == 1
