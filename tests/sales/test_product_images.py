"""Product pictures: checked like the logo, counted in the plan's storage, served only as images."""
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from app import storage
from app.extensions import db
from app.products import images
from app.products.models import Product
from billing import limits
from tenants.context import tenant_scope
from tenants.files import upload_dir
from tests.billing.conftest import on_small_plan
from tests.branding.test_branding import PNG
from tests.conftest import login
from tests.pictures import BROKEN_PNG, encode, photo, png_bomb, see_through_png
from tests.sales.conftest import product

GIF = encode(Image.new("P", (1, 1)), "GIF")
FORM = {"code": "SOFA-1", "name": "真皮沙发", "tax_rate": "13", "price_CNY": "1000"}


def _new(client, tenant, picture: bytes | None = None, **changes):
    data = {**FORM, **changes}
    if picture is not None:
        data["image"] = (io.BytesIO(picture), "photo.png")
    return client.post(f"/t/{tenant.slug}/products/new", data=data,
                       content_type="multipart/form-data")


def _edit(client, tenant, product_id, picture: bytes | None = None, **changes):
    data = {**FORM, **changes}
    if picture is not None:
        data["image"] = (io.BytesIO(picture), "photo.gif")
    return client.post(f"/t/{tenant.slug}/products/{product_id}/edit", data=data,
                       content_type="multipart/form-data")


def _product(app, tenant, code="SOFA-1") -> Product | None:
    with app.app_context(), tenant_scope(tenant):
        row = db.session.scalars(sa.select(Product).where(Product.code == code)).first()
        if row is not None:
            db.session.expunge(row)
        return row


def _stored_files(app, tenant) -> list[str]:
    with app.app_context():
        folder = upload_dir(tenant) / "products"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _picture_files(saved: Product, thumbnail_kind: str) -> list[str]:
    """The names of a saved picture and of its thumbnail."""
    name = saved.image_file.split("/")[1]
    return sorted([name, name.rsplit(".", 1)[0] + f".thumb.{thumbnail_kind}"])


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_an_uploaded_picture_is_shown_on_the_product_and_in_the_list(app, tenant, owner_client):
    created = _new(owner_client, tenant, PNG)
    assert created.status_code == 302
    saved = _product(app, tenant)
    assert (saved.image_type, saved.image_bytes) == ("image/png", len(PNG))
    assert _stored_files(app, tenant) == _picture_files(saved, "jpg")
    image_url = f"/t/{tenant.slug}/products/{saved.id}/image"
    thumbnail_url = f"/t/{tenant.slug}/products/{saved.id}/thumbnail"
    assert image_url in _html(owner_client.get(created.location))
    listed = _html(owner_client.get(f"/t/{tenant.slug}/products/"))
    assert thumbnail_url in listed and 'class="product-thumb"' in listed
    assert image_url not in listed  # the list never loads the full picture
    served = owner_client.get(image_url)
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "private" in served.headers["Cache-Control"]


@pytest.mark.parametrize("picture, message", [
    (b"<svg onload=alert(1)></svg>", "The picture must be a PNG, JPEG, GIF or WebP image."),
    (b"%PDF-1.7 not a picture", "The picture must be a PNG, JPEG, GIF or WebP image."),
    (PNG + b"\x00" * (2 * 1024 * 1024), "The picture is too large: at most 2048 KB."),
    # The first bytes of a picture, but nothing Pillow can decode.
    (BROKEN_PNG, "The picture must be a PNG, JPEG, GIF or WebP image."),
    (photo(400, 300)[:6000], "The picture must be a PNG, JPEG, GIF or WebP image."),
    # Decompression bombs: small files, huge once decoded. The first trips Pillow's own guard
    # (DecompressionBombError), the second only ours (36 million pixels).
    (png_bomb(30_000, 30_000), "The picture has too many pixels: at most 25 million."),
    (png_bomb(6_000, 6_000), "The picture has too many pixels: at most 25 million."),
])
def test_a_bad_picture_is_refused_in_place_and_nothing_is_saved(app, tenant, owner_client,
                                                                picture, message):
    response = _new(owner_client, tenant, picture)
    assert response.status_code == 422 and message in _html(response)
    assert 'value="SOFA-1"' in _html(response)  # what was typed comes back
    assert _product(app, tenant) is None
    assert _stored_files(app, tenant) == []


def test_a_picture_beyond_the_storage_limit_is_refused_with_an_upgrade_link(app, tenant,
                                                                            owner_client):
    _new(owner_client, tenant)
    on_small_plan(app, tenant, storage_mb=1)
    with app.test_request_context(), tenant_scope(tenant):
        storage.save("documents", b"x" * (1024 * 1024 - len(GIF) + 1))
        assert not limits.storage_allows(len(GIF))
    product_id = _product(app, tenant).id
    response = _edit(owner_client, tenant, product_id, GIF, name="改了名字")
    assert response.status_code == 422
    page = _html(response)
    assert "Your plan allows 1 MB of files and 1 MB are in use, so this file does not fit" in page
    assert f'href="/t/{tenant.slug}/billing/"' in page
    kept = _product(app, tenant)
    assert (kept.name, kept.image_file) == ("真皮沙发", None)  # the whole change is refused
    assert _stored_files(app, tenant) == []


def test_replacing_then_removing_the_picture_leaves_no_file_behind(app, tenant, owner_client):
    _new(owner_client, tenant, PNG)
    first = _product(app, tenant)
    assert _edit(owner_client, tenant, first.id, GIF).status_code == 302
    second = _product(app, tenant)
    assert second.image_type == "image/gif" and second.image_file != first.image_file
    assert _stored_files(app, tenant) == _picture_files(second, "jpg")
    assert owner_client.get(f"/t/{tenant.slug}/products/{first.id}/image").data == GIF
    edit_page = _html(owner_client.get(f"/t/{tenant.slug}/products/{first.id}/edit"))
    assert "Remove the picture" in edit_page
    assert _edit(owner_client, tenant, first.id, remove_image="y").status_code == 302
    removed = _product(app, tenant)
    assert (removed.image_file, removed.image_type, removed.image_bytes) == (None, None, None)
    assert _stored_files(app, tenant) == []
    assert owner_client.get(f"/t/{tenant.slug}/products/{first.id}/image").status_code == 404
    assert owner_client.get(f"/t/{tenant.slug}/products/{first.id}/thumbnail").status_code == 404
    listed = _html(owner_client.get(f"/t/{tenant.slug}/products/"))
    assert "/image" not in listed and "/thumbnail" not in listed


def test_a_picture_written_for_a_change_that_rolls_back_is_deleted_again(app, tenant):
    with app.test_request_context(), tenant_scope(tenant):
        sofa = product("SOFA-1")
        db.session.commit()
        images.set_image(sofa, PNG)
        path = storage.path_of(sofa.image_file)
        thumbnail = storage.path_of(images.thumbnail_key(sofa.image_file, "jpg"))
        assert path.is_file() and thumbnail.is_file()
        db.session.rollback()
        assert not path.exists() and not thumbnail.exists()
        assert db.session.get(Product, sofa.id).image_file is None


def test_another_tenant_cannot_fetch_the_picture(app, tenant, owner_client, new_tenant):
    _new(owner_client, tenant, PNG)
    image_url = f"/t/{tenant.slug}/products/{_product(app, tenant).id}/image"
    other = new_tenant()
    stranger = app.test_client()
    assert login(stranger, other).status_code == 302
    response = stranger.get(image_url)
    assert response.status_code in (302, 403, 404) and response.data != PNG
    # The same product id in the other workspace names nothing there.
    same_id = image_url.replace(f"/t/{tenant.slug}/", f"/t/{other.slug}/")
    assert stranger.get(same_id).status_code == 404
    assert app.test_client().get(image_url).status_code == 302  # not logged in: to the log-in


def test_the_list_gets_a_small_thumbnail_and_the_product_page_the_full_picture(app, tenant,
                                                                                owner_client):
    original = photo(1600, 1200)
    _new(owner_client, tenant, original)
    saved = _product(app, tenant)
    assert _stored_files(app, tenant) == _picture_files(saved, "jpg")
    served = owner_client.get(f"/t/{tenant.slug}/products/{saved.id}/thumbnail")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "private" in served.headers["Cache-Control"]
    small = Image.open(io.BytesIO(served.data))
    assert small.size == (160, 120)  # longest side 160 px, the 4:3 shape kept
    assert len(served.data) * 20 < len(original)
    full = owner_client.get(f"/t/{tenant.slug}/products/{saved.id}/image")
    assert full.data == original and Image.open(io.BytesIO(full.data)).size == (1600, 1200)


def test_a_see_through_picture_gets_a_see_through_png_thumbnail(app, tenant, owner_client):
    _new(owner_client, tenant, see_through_png(400, 200))
    saved = _product(app, tenant)
    assert _stored_files(app, tenant) == _picture_files(saved, "png")
    served = owner_client.get(f"/t/{tenant.slug}/products/{saved.id}/thumbnail")
    assert served.mimetype == "image/png"
    small = Image.open(io.BytesIO(served.data))
    assert small.size == (160, 80) and small.getchannel("A").getextrema() == (0, 0)


def test_a_picture_from_before_thumbnails_still_shows_in_the_list(app, tenant, owner_client):
    with app.test_request_context(), tenant_scope(tenant):
        sofa = product("SOFA-1")
        sofa.image_file = storage.save(images.AREA, PNG, suffix=".png")  # as uploads were stored
        sofa.image_type, sofa.image_bytes = "image/png", len(PNG)
        db.session.commit()
        sofa_id, old_key = sofa.id, sofa.image_file
    thumbnail_url = f"/t/{tenant.slug}/products/{sofa_id}/thumbnail"
    assert thumbnail_url in _html(owner_client.get(f"/t/{tenant.slug}/products/"))
    served = owner_client.get(thumbnail_url)
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    # Replacing it leaves only the new picture and its thumbnail.
    assert _edit(owner_client, tenant, sofa_id, GIF).status_code == 302
    replaced = _product(app, tenant)
    assert replaced.image_file != old_key
    assert _stored_files(app, tenant) == _picture_files(replaced, "jpg")


def test_the_thumbnail_counts_towards_the_storage_limit(app, tenant, owner_client):
    picture = photo(400, 300)
    _new(owner_client, tenant)
    on_small_plan(app, tenant, storage_mb=1)
    with app.test_request_context(), tenant_scope(tenant):
        filler = storage.save("documents", b"x" * (1024 * 1024 - len(picture)))
        assert limits.storage_allows(len(picture))  # the picture alone would just fit
    product_id = _product(app, tenant).id
    response = _edit(owner_client, tenant, product_id, picture)
    assert response.status_code == 422  # … but not with its thumbnail
    assert "Your plan allows 1 MB of files" in _html(response)
    assert _stored_files(app, tenant) == []

    with app.test_request_context(), tenant_scope(tenant):
        storage.delete(filler)
    assert _edit(owner_client, tenant, product_id, picture).status_code == 302
    saved = _product(app, tenant)
    with app.test_request_context(), tenant_scope(tenant):
        thumbnail = storage.path_of(images.thumbnail_key(saved.image_file, "jpg"))
        assert storage.used_bytes() == len(picture) + thumbnail.stat().st_size
        # Storage now full to the byte: the same picture again fits, as it frees what it replaces.
        storage.save("documents", b"x" * (1024 * 1024 - storage.used_bytes()))
        assert not limits.storage_allows(1)
    assert _edit(owner_client, tenant, product_id, picture).status_code == 302
    assert _product(app, tenant).image_file != saved.image_file
