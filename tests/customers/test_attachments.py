"""Documents on customers and contacts: upload, preview only for real images/PDFs, safe download."""
import io
import re

from tests.conftest import client_as

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _customer(client, tenant):
    response = client.post(f"/t/{tenant.slug}/customers/new", data={
        "name": "Acme", "kind": "company", "type": "customer", "currency": "CNY", "tier": ""})
    return int(re.search(r"/customers/(\d+)", response.location).group(1))


def _upload(client, tenant, customer_id, data, name):
    return client.post(f"/t/{tenant.slug}/attachments/", data={
        "customer_id": customer_id, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data", follow_redirects=True)


def test_a_contract_is_attached_previewed_and_on_the_timeline(owner_client, tenant):
    customer_id = _customer(owner_client, tenant)
    page = _upload(owner_client, tenant, customer_id, PDF, "合同.pdf").get_data(as_text=True)
    assert "合同.pdf attached." in page and "preview" in page
    link = re.search(r'/t/[^"]+/attachments/(\d+)\?inline=1', page).group(0)
    preview = owner_client.get(link)
    assert preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline")
    assert preview.headers["X-Content-Type-Options"] == "nosniff"
    assert preview.get_data() == PDF


def test_html_disguised_as_an_image_is_only_ever_a_download(owner_client, tenant):
    customer_id = _customer(owner_client, tenant)
    page = _upload(owner_client, tenant, customer_id, b"<script>alert(1)</script>", "cat.png"
                   ).get_data(as_text=True)
    attachment = re.search(r'/t/[^"]+/attachments/(\d+)"', page).group(0).rstrip('"')
    response = owner_client.get(attachment + "?inline=1")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_empty_and_oversized_files_are_refused(owner_client, tenant, monkeypatch):
    customer_id = _customer(owner_client, tenant)
    assert "The file is empty." in _upload(owner_client, tenant, customer_id, b"", "x.txt"
                                           ).get_data(as_text=True)
    monkeypatch.setattr("app.attachments.services.MAX_BYTES", 10)
    page = _upload(owner_client, tenant, customer_id, b"x" * 11, "x.txt").get_data(as_text=True)
    assert "Files can be at most 20 MB." in page and "x.txt attached" not in page


def test_someone_who_cannot_see_the_customer_cannot_fetch_its_files(app, owner_client, tenant):
    customer_id = _customer(owner_client, tenant)
    page = _upload(owner_client, tenant, customer_id, PDF, "secret.pdf").get_data(as_text=True)
    path = re.search(r'/t/[^"]+/attachments/(\d+)"', page).group(0).rstrip('"')
    rep = client_as(app, tenant, "sales_rep")  # sees only own customers
    assert rep.get(path).status_code == 404


def test_removed_files_are_gone(owner_client, tenant):
    customer_id = _customer(owner_client, tenant)
    page = _upload(owner_client, tenant, customer_id, PDF, "old.pdf").get_data(as_text=True)
    attachment_id = re.search(r"/attachments/(\d+)/delete", page).group(1)
    owner_client.post(f"/t/{tenant.slug}/attachments/{attachment_id}/delete")
    assert owner_client.get(f"/t/{tenant.slug}/attachments/{attachment_id}").status_code == 404
