"""One way: what differs between targets lives on the ImportTarget, not in the pipeline
or its pages (products were shown as "Import contacts" and linked to the contact list)."""
import io

from tests.background import wait_for_jobs


def test_the_products_import_pages_speak_of_products(owner_client, tenant):
    base = f"/t/{tenant.slug}/import/products"
    assert "Import products" in owner_client.get(base).get_data(as_text=True)
    upload = owner_client.post(base, content_type="multipart/form-data",
                               data={"file": (io.BytesIO("品号,品名\nP1,餐椅\n".encode()), "p.csv")})
    started = owner_client.post(upload.location, data={"map-0": "code", "map-1": "name",
                                                       "policy": "skip", "go": "1"})
    wait_for_jobs()
    page = owner_client.get(started.location).get_data(as_text=True)
    assert 'data-status="done"' in page and f'href="/t/{tenant.slug}/products/"' in page
