"""Bad input at the edge answers 400 or a clean redirect, never a 500."""
import base64
import json

import sqlalchemy as sa

from app.extensions import db
from app.lists.models import SavedView
from tenants.context import tenant_scope
from tests.conftest import TEST_PASSWORD


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def test_a_nul_byte_in_any_argument_is_a_400(owner_client, tenant):
    base = f"/t/{tenant.slug}"
    assert owner_client.get(f"{base}/customers/?q=a%00b").status_code == 400
    assert owner_client.get(f"{base}/customers/export?format=csv&q=%00").status_code == 400
    assert owner_client.get(f"{base}/search/?q%00=x").status_code == 400
    assert owner_client.post(f"{base}/customers/new", data={"name": "a\x00b"}).status_code == 400


def test_a_forged_list_cursor_is_a_400(owner_client, tenant):
    base = f"/t/{tenant.slug}"
    for cursor in (_cursor([{"t": "nope"}, 1]), _cursor(["a\x00b", 1]), _cursor([{"d": "x"}, 1]),
                   "!!!", _cursor([1, 1e300]), _cursor([{"t": "2024-01-01T00:00"}, 2 ** 70])):
        for page in ("customers/", "contacts/", "orders/"):
            response = owner_client.get(f"{base}/{page}", query_string={"after": cursor})
            assert response.status_code == 400, (page, cursor)
    # A text where the list is sorted by a date: PostgreSQL could not read it as one.
    for page in ("customers/", "orders/"):
        response = owner_client.get(f"{base}/{page}",
                                    query_string={"after": _cursor(["2024-13-45T99:99", 1])})
        assert response.status_code == 400, page


def test_a_cursor_the_list_wrote_still_turns_the_page(owner_client, tenant, app):
    from app.customers.services import create_customer
    with app.test_request_context(), tenant_scope(tenant):
        for number in range(60):
            create_customer({"name": f"Buyer {number:02d}"}, None)
        db.session.commit()
    first = owner_client.get(f"/t/{tenant.slug}/customers/?sort=name").get_data(as_text=True)
    after = first.split("after=")[1].split('"')[0].split("&")[0]
    assert owner_client.get(f"/t/{tenant.slug}/customers/?sort=name&after={after}").status_code == 200


def test_a_saved_view_query_with_cr_lf_is_stored_and_opened_encoded(owner_client, tenant, app):
    response = owner_client.post(f"/t/{tenant.slug}/lists/customers/views",
                                 data={"name": "Odd", "query": "q=a\r\nSet-Cookie: x=y&tier=A"})
    assert response.status_code == 302
    assert "\r" not in response.location and "\n" not in response.location
    with app.app_context(), tenant_scope(tenant):
        view = db.session.scalars(sa.select(SavedView).where(SavedView.name == "Odd")).one()
        assert view.query == "q=a%0D%0ASet-Cookie%3A+x%3Dy&tier=A"
        view.query = "q=old\r\nview"  # saved before queries were cleaned
        db.session.commit()
        view_id = view.id
    response = owner_client.get(f"/t/{tenant.slug}/lists/views/{view_id}")
    assert response.status_code == 302
    assert response.location.endswith("?q=old%0D%0Aview")


def test_a_next_address_with_cr_lf_is_ignored_at_log_in(client, tenant):
    response = client.post(f"/t/{tenant.slug}/login?next=/%0d%0aSet-Cookie:%20a=b",
                           data={"email": f"owner@{tenant.slug}.example", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "Set-Cookie" not in response.location
