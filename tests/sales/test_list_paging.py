"""Quotes, products and competitors on the shared list machinery: every record, a page at a time.

They used to stop silently at 200 rows. A search box's text is plain text: % and _ match
themselves (the opportunity list built its own ILIKE pattern from it).
"""
import re
from datetime import date
from decimal import Decimal as D

from app.competitors.models import Competitor
from app.extensions import db
from app.opportunities.services import create_opportunity
from app.products.models import Product
from app.quotes.models import Quote
from tenants.context import tenant_scope
from tests.sales.conftest import customer, owner_id, stage

RECORDS = 250


def _every_page(client, url: str, link: str) -> list[str]:
    """The record links of every page, following "Next page" to the end."""
    found, pages = [], 0
    while url:
        body = client.get(url).get_data(as_text=True)
        found += re.findall(link, body)
        pages += 1
        more = re.search(r'data-testid="next-page" href="\?([^"]+)"', body)
        url = f"{url.split('?')[0]}?{more[1].replace('&amp;', '&')}" if more else None
    assert pages > 1
    return found


def _add(app, tenant, make):
    with app.test_request_context(), tenant_scope(tenant):
        db.session.add_all(make(customer(), owner_id()))
        db.session.commit()


def test_a_quote_list_of_250_pages_through_all_of_them(app, tenant, owner_client):
    _add(app, tenant, lambda buyer, owner: [
        Quote(number=f"Q{n:06d}", customer_id=buyer.id, owner_id=owner, currency="CNY")
        for n in range(RECORDS)])
    ids = _every_page(owner_client, f"/t/{tenant.slug}/quotes/", r"/quotes/(\d+)\"")
    assert len(set(ids)) == RECORDS
    only_one = owner_client.get(f"/t/{tenant.slug}/quotes/?q=Q000249").get_data(as_text=True)
    assert len(re.findall(r"/quotes/(\d+)\"", only_one)) == 1


def test_a_product_list_of_250_pages_through_all_of_them(app, tenant, owner_client):
    _add(app, tenant, lambda _buyer, _owner: [
        Product(code=f"P{n:04d}", name=f"沙发 {n}") for n in range(RECORDS)])
    codes = _every_page(owner_client, f"/t/{tenant.slug}/products/", r">(P\d{4})</a>")
    assert sorted(set(codes)) == [f"P{n:04d}" for n in range(RECORDS)]


def test_a_competitor_search_finding_250_pages_through_all_of_them(app, tenant, owner_client):
    _add(app, tenant, lambda _buyer, _owner: [
        Competitor(name=f"家具厂 {n:03d}") for n in range(RECORDS)])
    names = _every_page(owner_client, f"/t/{tenant.slug}/competitors/?q=家具厂",
                        r">(家具厂 \d{3})</a>")
    assert len(set(names)) == RECORDS


def test_percent_and_underscore_in_a_deal_search_match_themselves(app, tenant, owner_client):
    with app.test_request_context(), tenant_scope(tenant):
        buyer = customer()
        for name in ("打折50%", "50套沙发", "A_B", "AxB"):
            create_opportunity({"name": name, "customer_id": buyer.id, "amount": D("1"),
                                "currency": "CNY", "stage_id": stage(1).id, "probability": None,
                                "expected_close": date(2026, 12, 1)}, owner_id())
        db.session.commit()

    def found(text):
        body = owner_client.get(f"/t/{tenant.slug}/opportunities/list",
                                query_string={"q": text}).get_data(as_text=True)
        return sorted(n for n in ("打折50%", "50套沙发", "A_B", "AxB") if n in body)

    assert found("50%") == ["打折50%"]
    assert found("A_B") == ["A_B"]


def test_my_approval_requests_page_through_all_of_them(app, tenant, owner_client):
    from app.approvals.models import ApprovalRequest

    _add(app, tenant, lambda _buyer, owner: [
        ApprovalRequest(document_type="retired_type", document_id=n, reason=f"原因 {n:03d}",
                        status="canceled", requested_by_id=owner) for n in range(120)])
    url, reasons = f"/t/{tenant.slug}/approvals/", []
    while url:
        body = owner_client.get(url).get_data(as_text=True)
        reasons += re.findall(r"原因 \d{3}", body)
        older = re.search(r'data-testid="older" href="\?([^"]+)"', body)
        url = f"/t/{tenant.slug}/approvals/?{older[1].replace('&amp;', '&')}" if older else None
    assert sorted(reasons) == [f"原因 {n:03d}" for n in range(120)]
